using System.Globalization;
using TinyNet.Data;
using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>
/// Inverted dropout: in training each element is zeroed with the given probability and the
/// survivors are scaled by 1 / (1 - probability), so evaluation needs no rescaling; in
/// evaluation (<see cref="Layer.IsTraining"/> false) it is the identity.
/// </summary>
public sealed class Dropout : Layer
{
    private readonly TensorBuffer _output = new();
    private readonly TensorBuffer _mask = new();
    private readonly TensorBuffer _gradInput = new();
    private SplitMix64 _random;

    // Kept by Forward for Backward: the mask it drew (null when it ran as the identity) and the
    // output, for the shape check.
    private Tensor? _lastMask;
    private Tensor? _lastOutput;

    /// <summary>Creates the layer.</summary>
    /// <param name="probability">The probability of zeroing an element, in [0, 1).</param>
    /// <param name="seed">The seed of the masks; by default the next of <see cref="Initializers.NextSeed"/>.</param>
    public Dropout(float probability, int? seed = null)
    {
        if (!(probability >= 0f && probability < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The dropout probability must be in [0, 1).");
        }

        Probability = probability;
        _random = SplitMix64.For(seed ?? Initializers.NextSeed(), stream: 0);
    }

    /// <summary>The probability of zeroing an element.</summary>
    public float Probability { get; }

    /// <summary>In training, input * mask; in evaluation, the input itself.</summary>
    /// <param name="input">Any shape.</param>
    /// <returns>The same shape: a buffer owned by the layer in training, the input itself in evaluation.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsTraining || Probability == 0f)
        {
            _lastMask = null;
            _lastOutput = input;
            return input;
        }

        Tensor mask = _mask.Get(input.ShapeSpan);
        Tensor output = _output.Get(input.ShapeSpan);
        RandomKernels.FillDropoutMask(ref _random, 1f - Probability, mask.AsSpan());
        Elementwise.Map(default(MultiplyOperator), input.AsSpan(), mask.AsSpan(), output.AsSpan());
        _lastMask = mask;
        _lastOutput = output;
        return output;
    }

    /// <summary>gradInput = gradOutput * mask (the identity when the forward pass was).</summary>
    /// <param name="gradOutput">The shape of the last output.</param>
    /// <returns>The same shape; empty when <see cref="Layer.RequiresInputGradient"/> is false.</returns>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_lastOutput is null)
        {
            throw BackwardBeforeForward(this);
        }

        CheckGradientShape(gradOutput, _lastOutput);
        if (!RequiresInputGradient)
        {
            return NoGradient;
        }

        if (_lastMask is null)
        {
            return gradOutput;
        }

        Tensor gradInput = _gradInput.Get(gradOutput.ShapeSpan);
        Elementwise.Map(default(MultiplyOperator), gradOutput.AsSpan(), _lastMask.AsSpan(), gradInput.AsSpan());
        return gradInput;
    }

    /// <summary>The state of the mask generator, saved in checkpoints so a resumed run draws the same masks.</summary>
    internal ulong RandomState
    {
        get => _random.State;
        set => _random.State = value;
    }

    /// <summary>Reads as <c>Dropout(probability: 0.5)</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() => $"Dropout(probability: {Probability.ToString(CultureInfo.InvariantCulture)})";
}
