namespace TinyNet.Layers;

/// <summary>
/// A layer that applies one function to every element: the output has the input's shape.
/// Subclasses give the forward and backward kernels; this class keeps the buffers, the shape
/// checks and what the backward pass needs (the input, and the output, which is cheaper for
/// functions like sigmoid whose derivative is written in terms of it).
/// </summary>
public abstract class ElementwiseLayer : Layer
{
    private readonly TensorBuffer _output = new();
    private readonly TensorBuffer _gradInput = new();

    // Kept by Forward for Backward: the input (the caller's, valid until the next Forward) and
    // the output (this layer's buffer).
    private Tensor? _input;
    private Tensor? _lastOutput;

    /// <summary>Applies the function.</summary>
    /// <param name="input">Any shape.</param>
    /// <returns>The same shape, owned by the layer.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor output = _output.Get(input.ShapeSpan);
        Apply(input.AsSpan(), output.AsSpan());
        _input = input;
        _lastOutput = output;
        return output;
    }

    /// <summary>Multiplies the gradient by the function's derivative at the last input.</summary>
    /// <param name="gradOutput">The shape of the last output.</param>
    /// <returns>The shape of the last input, owned by the layer; empty when <see cref="Layer.RequiresInputGradient"/> is false.</returns>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_input is null || _lastOutput is null)
        {
            throw BackwardBeforeForward(this);
        }

        CheckGradientShape(gradOutput, _lastOutput);
        if (!RequiresInputGradient)
        {
            return NoGradient;
        }

        Tensor gradInput = _gradInput.Get(gradOutput.ShapeSpan);
        ApplyGradient(_input.AsSpan(), _lastOutput.AsSpan(), gradOutput.AsSpan(), gradInput.AsSpan());
        return gradInput;
    }

    /// <summary>output[i] = f(input[i]).</summary>
    /// <param name="input">The input elements.</param>
    /// <param name="output">The output elements, as many.</param>
    protected abstract void Apply(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>gradInput[i] = gradOutput[i] * f'(input[i]), given the input and the output of the forward pass.</summary>
    /// <param name="input">The last input.</param>
    /// <param name="output">The last output.</param>
    /// <param name="gradOutput">The gradient with respect to the output.</param>
    /// <param name="gradInput">The gradient with respect to the input, to write.</param>
    protected abstract void ApplyGradient(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, Span<float> gradInput);
}
