namespace TinyNet.Layers;

/// <summary>
/// Flattens every sample to one dimension, as PyTorch's <c>nn.Flatten()</c>: [batch, d1, d2, ...]
/// becomes [batch, d1 * d2 * ...], so a convolutional stack can feed a <see cref="Linear"/>. The
/// output shares the input's storage (no copy), and so does the gradient.
/// </summary>
public sealed class Flatten : Layer
{
    // The views made for the last input and gradient, reused while the same tensors come back
    // (layers reuse their buffers), so the steady state allocates nothing.
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _gradOutput;
    private Tensor? _gradInput;

    /// <summary>The same values, one row per sample.</summary>
    /// <param name="input">[batch, ...], at least one dimension after the batch.</param>
    /// <returns>[batch, features], a view of the input.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Dimension(0) == 0)
        {
            throw new ArgumentException($"{this} expects input of shape [batch, ...] with at least one sample and one dimension after the batch, got {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }

        if (!ReferenceEquals(input, _input) || _output is null)
        {
            _input = input;
            _output = input.Reshaped([input.Dimension(0), input.Length / input.Dimension(0)]);
        }

        return _output;
    }

    /// <summary>The gradient in the input's shape.</summary>
    /// <param name="gradOutput">[batch, features].</param>
    /// <returns>The input's shape, a view of gradOutput; empty when <see cref="Layer.RequiresInputGradient"/> is false.</returns>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_input is null || _output is null)
        {
            throw BackwardBeforeForward(this);
        }

        CheckGradientShape(gradOutput, _output);
        if (!RequiresInputGradient)
        {
            return NoGradient;
        }

        if (!ReferenceEquals(gradOutput, _gradOutput) || _gradInput is null || !_gradInput.HasSameShape(_input))
        {
            _gradOutput = gradOutput;
            _gradInput = gradOutput.Reshaped([.. _input.Shape]);
        }

        return _gradInput;
    }

    /// <summary>Reads as <c>Flatten()</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() => "Flatten()";
}
