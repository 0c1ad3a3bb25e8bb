using System.Globalization;
using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>
/// What <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/> share: PyTorch's batch
/// normalization of each channel over [batch, channels, positions] (positions = 1 or a length
/// for BatchNorm1d, height x width for BatchNorm2d), with its defaults (eps 1e-5, momentum 0.1,
/// affine, running statistics). In training, each channel is normalized with the batch's mean
/// and biased variance, and <c>running_mean</c> and <c>running_var</c> move towards the batch's
/// mean and unbiased variance by the momentum; in evaluation the running statistics normalize.
/// Then y = xhat * weight + bias. The running statistics are buffers, saved in model files and
/// checkpoints; <c>num_batches_tracked</c> counts the training batches, as in PyTorch (kept as a
/// float, so it is exact up to 2^24 batches; with a momentum it changes nothing computed).
/// </summary>
public abstract class BatchNorm : Layer
{
    private readonly int _channels;
    private readonly float[] _mean;
    private readonly float[] _variance;
    private readonly float[] _inverseDeviation;
    private readonly Parameter[] _parameters;
    private readonly NamedTensor[] _buffers;
    private readonly NamedTensor _runningMean;
    private readonly NamedTensor _runningVariance;
    private readonly NamedTensor _batchesTracked;
    private readonly TensorBuffer _normalized = new();
    private readonly TensorBuffer _output = new();
    private readonly TensorBuffer _gradInput = new();

    // Kept by Forward for Backward: xhat (in _normalized), the statistics that made it (in
    // _inverseDeviation), whether they were the batch's, and the shapes.
    private Tensor? _lastNormalized;
    private Tensor? _lastOutput;
    private bool _batchStatistics;
    private int _batch;
    private int _positions;

    private protected BatchNorm(int channels, float epsilon, float momentum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        NormalizationArguments.Check(epsilon, momentum);
        _channels = channels;
        Epsilon = epsilon;
        Momentum = momentum;
        Weight = new Parameter("weight", new Tensor(channels));
        Bias = new Parameter("bias", new Tensor(channels));
        Weight.Value.AsSpan().Fill(1f);
        _runningMean = new NamedTensor("running_mean", new Tensor(channels));
        _runningVariance = new NamedTensor("running_var", new Tensor(channels));
        _runningVariance.Value.AsSpan().Fill(1f);
        _batchesTracked = new NamedTensor("num_batches_tracked", new Tensor());
        _parameters = [Weight, Bias];
        _buffers = [_runningMean, _runningVariance, _batchesTracked];
        _mean = new float[channels];
        _variance = new float[channels];
        _inverseDeviation = new float[channels];
    }

    /// <summary>The scale, [channels], initially 1.</summary>
    public Parameter Weight { get; }

    /// <summary>The shift, [channels], initially 0.</summary>
    public Parameter Bias { get; }

    /// <summary>The running mean, [channels] (<c>running_mean</c>).</summary>
    public Tensor RunningMean => _runningMean.Value;

    /// <summary>The running (unbiased) variance, [channels] (<c>running_var</c>).</summary>
    public Tensor RunningVariance => _runningVariance.Value;

    /// <summary>Added to the variance before its square root.</summary>
    public float Epsilon { get; }

    /// <summary>How far the running statistics move towards each batch's.</summary>
    public float Momentum { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<NamedTensor> Buffers => _buffers;

    /// <summary>The channels (features) normalized.</summary>
    protected int ChannelCount => _channels;

    /// <summary>Normalizes each channel.</summary>
    /// <param name="input">As the layer takes it; in training, more than one value per channel.</param>
    /// <returns>The input's shape, owned by the layer.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int positions = PositionsOf(input);
        int batch = input.Dimension(0);
        long count = (long)batch * positions;
        if (IsTraining && count < 2)
        {
            throw new ArgumentException(
                $"{this} in training needs more than one value per channel to compute a variance, got input of shape {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }

        if (IsTraining)
        {
            NormalizationKernels.ChannelStatistics(input.AsSpan(), batch, _channels, positions, _mean, _variance);
            NormalizationKernels.UpdateRunning(RunningMean.AsSpan(), RunningVariance.AsSpan(), _mean, _variance, Momentum, count);
            _batchesTracked.Value.AsSpan()[0] += 1f;
            NormalizationKernels.InverseDeviation(_variance, Epsilon, _inverseDeviation);
        }
        else
        {
            RunningMean.AsSpan().CopyTo(_mean);
            NormalizationKernels.InverseDeviation(RunningVariance.AsSpan(), Epsilon, _inverseDeviation);
        }

        Tensor normalized = _normalized.Get(input.ShapeSpan);
        Tensor output = _output.Get(input.ShapeSpan);
        NormalizationKernels.ChannelNormalize(
            input.AsSpan(), _mean, _inverseDeviation, Weight.Value.AsSpan(), Bias.Value.AsSpan(), batch, _channels, positions, normalized.AsSpan(), output.AsSpan());
        _lastNormalized = normalized;
        _lastOutput = output;
        _batchStatistics = IsTraining;
        _batch = batch;
        _positions = positions;
        return output;
    }

    /// <summary>gradWeight += sum(dy * xhat); gradBias += sum(dy); gradInput through the batch statistics in training, through the fixed ones in evaluation.</summary>
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
        NormalizationKernels.ChannelNormalizeBackward(
            gradOutput.AsSpan(), _lastNormalized.AsSpan(), _inverseDeviation, Weight.Value.AsSpan(), _batch, _channels, _positions, _batchStatistics,
            Weight.Gradient.AsSpan(), Bias.Gradient.AsSpan(), RequiresInputGradient ? gradInput.AsSpan() : []);
        return gradInput;
    }

    /// <summary>Reads as <c>BatchNorm2d(channels: 16, epsilon: 1E-05, momentum: 0.1)</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{GetType().Name}({DimensionName}: {_channels}, epsilon: {Epsilon}, momentum: {Momentum})");

    /// <summary>The name of the normalized dimension in the description: <c>features</c> or <c>channels</c>.</summary>
    private protected abstract string DimensionName { get; }

    /// <summary>Checks the input's shape (naming the layer and the shapes) and returns the positions per channel of each sample.</summary>
    private protected abstract int PositionsOf(Tensor input);
}
