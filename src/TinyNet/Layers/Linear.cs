using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>
/// A fully connected layer: output = input * weightᵀ + bias, with the weight stored
/// [outFeatures, inFeatures] as in PyTorch. Every product is one <see cref="Gemm"/> call with
/// transpose flags; nothing is ever transposed by copying.
/// </summary>
public sealed class Linear : Layer
{
    private readonly int _inFeatures;
    private readonly int _outFeatures;
    private readonly Parameter[] _parameters;
    private readonly TensorBuffer _output = new();
    private readonly TensorBuffer _gradInput = new();

    // Kept by Forward for Backward: the input (gradWeight = gradOutputᵀ * input) and the output
    // (for the shape check). Both belong to the caller or to this layer and stay valid until the
    // next Forward.
    private Tensor? _input;
    private Tensor? _lastOutput;

    /// <summary>Creates the layer, initialized as PyTorch initializes <c>nn.Linear</c>.</summary>
    /// <param name="inFeatures">The size of each input sample; at least 1.</param>
    /// <param name="outFeatures">The size of each output sample; at least 1.</param>
    /// <param name="bias">Whether to learn an additive bias.</param>
    /// <param name="seed">The seed of the initial weights; by default the next of <see cref="Initializers.NextSeed"/>.</param>
    public Linear(int inFeatures, int outFeatures, bool bias = true, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        _inFeatures = inFeatures;
        _outFeatures = outFeatures;
        Weight = new Parameter("weight", new Tensor(outFeatures, inFeatures));
        Bias = bias ? new Parameter("bias", new Tensor(outFeatures)) : null;
        _parameters = Bias is null ? [Weight] : [Weight, Bias];
        ResetParameters(new Random(seed ?? Initializers.NextSeed()));
    }

    /// <summary>The weight, [outFeatures, inFeatures].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias, [outFeatures], or null when the layer has none.</summary>
    public Parameter? Bias { get; }

    /// <summary>The size of each input sample.</summary>
    public int InFeatures => _inFeatures;

    /// <summary>The size of each output sample.</summary>
    public int OutFeatures => _outFeatures;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>
    /// Re-initializes as PyTorch's <c>nn.Linear.reset_parameters</c>: the weight Kaiming-uniform
    /// with a = sqrt(5), i.e. U(-1/sqrt(inFeatures), 1/sqrt(inFeatures)), and the bias from the
    /// same interval.
    /// </summary>
    /// <param name="random">The random source.</param>
    public void ResetParameters(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Initializers.KaimingUniform(Weight.Value.AsSpan(), _inFeatures, MathF.Sqrt(5f), random);
        if (Bias is not null)
        {
            Initializers.Uniform(Bias.Value.AsSpan(), 1f / MathF.Sqrt(_inFeatures), random);
        }
    }

    /// <summary>output = input * weightᵀ + bias.</summary>
    /// <param name="input">[batch, inFeatures].</param>
    /// <returns>[batch, outFeatures], owned by the layer.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Dimension(1) != _inFeatures)
        {
            throw new ArgumentException(
                $"{this} expects input of shape [batch, {_inFeatures}], got {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }

        int batch = input.Dimension(0);
        Tensor output = _output.Get([batch, _outFeatures]);
        float beta = 0f;
        if (Bias is not null)
        {
            MatrixKernels.BroadcastRows(Bias.Value.AsSpan(), output.AsSpan(), batch);
            beta = 1f;
        }

        Gemm.Multiply(input.AsSpan(), Weight.Value.AsSpan(), output.AsSpan(), batch, _outFeatures, _inFeatures, transposeB: true, beta: beta);
        _input = input;
        _lastOutput = output;
        return output;
    }

    /// <summary>
    /// gradWeight += gradOutputᵀ * input; gradBias += the column sums of gradOutput;
    /// gradInput = gradOutput * weight.
    /// </summary>
    /// <param name="gradOutput">[batch, outFeatures].</param>
    /// <returns>[batch, inFeatures], owned by the layer; empty when <see cref="Layer.RequiresInputGradient"/> is false.</returns>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_input is null || _lastOutput is null)
        {
            throw BackwardBeforeForward(this);
        }

        CheckGradientShape(gradOutput, _lastOutput);
        int batch = gradOutput.Dimension(0);
        Gemm.Multiply(
            gradOutput.AsSpan(), _input.AsSpan(), Weight.Gradient.AsSpan(), _outFeatures, _inFeatures, batch, transposeA: true, beta: 1f);
        if (Bias is not null)
        {
            MatrixKernels.AddColumnSums(gradOutput.AsSpan(), batch, Bias.Gradient.AsSpan());
        }

        if (!RequiresInputGradient)
        {
            return NoGradient;
        }

        Tensor gradInput = _gradInput.Get([batch, _inFeatures]);
        Gemm.Multiply(gradOutput.AsSpan(), Weight.Value.AsSpan(), gradInput.AsSpan(), batch, _inFeatures, _outFeatures);
        return gradInput;
    }

    /// <summary>Reads as <c>Linear(inFeatures: 784, outFeatures: 128, bias: true)</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() =>
        $"Linear(inFeatures: {_inFeatures}, outFeatures: {_outFeatures}, bias: {(Bias is not null ? "true" : "false")})";
}
