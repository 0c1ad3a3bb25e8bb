using System.Globalization;
using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>
/// Layer normalization over the last dimension, as PyTorch's <c>nn.LayerNorm(normalizedShape)</c>
/// with an integer shape and its defaults (eps 1e-5, elementwise affine): each row of
/// <c>normalizedShape</c> values is normalized with its own mean and biased variance, then
/// y = xhat * weight + bias. Training and evaluation compute the same.
/// </summary>
public sealed class LayerNorm : Layer
{
    private readonly int _features;
    private readonly float _epsilon;
    private readonly Parameter[] _parameters;
    private readonly TensorBuffer _normalized = new();
    private readonly TensorBuffer _output = new();
    private readonly TensorBuffer _gradInput = new();
    private float[] _inverseDeviation = [];

    // Kept by Forward for Backward: xhat (in _normalized), each row's 1 / sqrt(var + eps) (in
    // _inverseDeviation), the rows, and the output (for the shape check).
    private Tensor? _lastNormalized;
    private Tensor? _lastOutput;
    private int _rows;

    /// <summary>Creates the layer: weight 1, bias 0.</summary>
    /// <param name="normalizedShape">The size of the last dimension, which is normalized; at least 1.</param>
    /// <param name="epsilon">Added to the variance before its square root; positive.</param>
    public LayerNorm(int normalizedShape, float epsilon = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(normalizedShape, 1);
        NormalizationArguments.Check(epsilon, momentum: null);
        _features = normalizedShape;
        _epsilon = epsilon;
        Weight = new Parameter("weight", new Tensor(normalizedShape));
        Bias = new Parameter("bias", new Tensor(normalizedShape));
        Weight.Value.AsSpan().Fill(1f);
        _parameters = [Weight, Bias];
    }

    /// <summary>The scale, [normalizedShape], initially 1.</summary>
    public Parameter Weight { get; }

    /// <summary>The shift, [normalizedShape], initially 0.</summary>
    public Parameter Bias { get; }

    /// <summary>The size of the normalized (last) dimension.</summary>
    public int NormalizedShape => _features;

    /// <summary>Added to the variance before its square root.</summary>
    public float Epsilon => _epsilon;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Normalizes each row of the last dimension.</summary>
    /// <param name="input">[..., normalizedShape]: [batch, features], or [batch, tokens, features].</param>
    /// <returns>The input's shape, owned by the layer.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 1 || input.Dimension(input.Rank - 1) != _features || input.Length == 0)
        {
            throw new ArgumentException($"{this} expects input of shape [..., {_features}], got {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }

        int rows = input.Length / _features;
        if (_inverseDeviation.Length < rows)
        {
            _inverseDeviation = new float[rows];
        }

        Tensor normalized = _normalized.Get(input.ShapeSpan);
        Tensor output = _output.Get(input.ShapeSpan);
        NormalizationKernels.RowNormalize(
            input.AsSpan(), Weight.Value.AsSpan(), Bias.Value.AsSpan(), _features, _epsilon, _inverseDeviation.AsSpan(0, rows), normalized.AsSpan(), output.AsSpan());
        _lastNormalized = normalized;
        _lastOutput = output;
        _rows = rows;
        return output;
    }

    /// <summary>gradWeight += sum(dy * xhat); gradBias += sum(dy); gradInput through each row's statistics.</summary>
    /// <param name="gradOutput">The last output's shape.</param>
    /// <returns>The input's shape, owned by the layer; empty when <see cref="Layer.RequiresInputGradient"/> is false.</returns>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_lastNormalized is null || _lastOutput is null)
        {
            throw BackwardBeforeForward(this);
        }

        CheckGradientShape(gradOutput, _lastOutput);
        Tensor gradInput = RequiresInputGradient ? _gradInput.Get(_lastOutput.ShapeSpan) : NoGradient;
        NormalizationKernels.RowNormalizeBackward(
            gradOutput.AsSpan(), _lastNormalized.AsSpan(), _inverseDeviation.AsSpan(0, _rows), Weight.Value.AsSpan(), _features,
            Weight.Gradient.AsSpan(), Bias.Gradient.AsSpan(), RequiresInputGradient ? gradInput.AsSpan() : []);
        return gradInput;
    }

    /// <summary>Reads as <c>LayerNorm(normalizedShape: 64, epsilon: 1E-05)</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"LayerNorm(normalizedShape: {_features}, epsilon: {_epsilon})");
}
