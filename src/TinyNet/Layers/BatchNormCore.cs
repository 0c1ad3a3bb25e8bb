using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>
/// What <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/> share: PyTorch's batch
/// normalization over [batch, channels, positions]. In training, each channel is normalized with
/// the batch's mean and biased variance, and the running statistics move towards the batch's
/// (the variance unbiased) by the momentum; in evaluation, the running statistics normalize.
/// Then y = xhat * weight + bias.
/// </summary>
internal sealed class BatchNormCore
{
    private readonly Layer _owner;
    private readonly int _channels;
    private readonly float[] _mean;
    private readonly float[] _variance;
    private readonly float[] _inverseDeviation;
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

    public BatchNormCore(Layer owner, int channels, float epsilon, float momentum)
    {
        _owner = owner;
        _channels = channels;
        Epsilon = epsilon;
        Momentum = momentum;
        Weight = new Parameter("weight", new Tensor(channels));
        Bias = new Parameter("bias", new Tensor(channels));
        Weight.Value.AsSpan().Fill(1f);
        RunningMean = new NamedTensor("running_mean", new Tensor(channels));
        RunningVariance = new NamedTensor("running_var", new Tensor(channels));
        RunningVariance.Value.AsSpan().Fill(1f);
        BatchesTracked = new NamedTensor("num_batches_tracked", new Tensor());
        Parameters = [Weight, Bias];
        Buffers = [RunningMean, RunningVariance, BatchesTracked];
        _mean = new float[channels];
        _variance = new float[channels];
        _inverseDeviation = new float[channels];
    }

    public float Epsilon { get; }

    public float Momentum { get; }

    public Parameter Weight { get; }

    public Parameter Bias { get; }

    public NamedTensor RunningMean { get; }

    public NamedTensor RunningVariance { get; }

    public NamedTensor BatchesTracked { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    public IReadOnlyList<NamedTensor> Buffers { get; }

    /// <summary>Normalizes [batch, channels, positions] held in <paramref name="input"/>; the output has the input's shape.</summary>
    public Tensor Forward(Tensor input, int batch, int positions)
    {
        long count = (long)batch * positions;
        if (_owner.IsTraining && count < 2)
        {
            throw new ArgumentException(
                $"{_owner} in training needs more than one value per channel to compute a variance, got input of shape {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }

        if (_owner.IsTraining)
        {
            NormalizationKernels.ChannelStatistics(input.AsSpan(), batch, _channels, positions, _mean, _variance);
            NormalizationKernels.UpdateRunning(RunningMean.Value.AsSpan(), RunningVariance.Value.AsSpan(), _mean, _variance, Momentum, count);
            BatchesTracked.Value.AsSpan()[0] += 1f;
            NormalizationKernels.InverseDeviation(_variance, Epsilon, _inverseDeviation);
        }
        else
        {
            RunningMean.Value.AsSpan().CopyTo(_mean);
            NormalizationKernels.InverseDeviation(RunningVariance.Value.AsSpan(), Epsilon, _inverseDeviation);
        }

        Tensor normalized = _normalized.Get(input.ShapeSpan);
        Tensor output = _output.Get(input.ShapeSpan);
        NormalizationKernels.ChannelNormalize(
            input.AsSpan(), _mean, _inverseDeviation, Weight.Value.AsSpan(), Bias.Value.AsSpan(), batch, _channels, positions, normalized.AsSpan(), output.AsSpan());
        _lastNormalized = normalized;
        _lastOutput = output;
        _batchStatistics = _owner.IsTraining;
        _batch = batch;
        _positions = positions;
        return output;
    }

    /// <summary>The last output, or null before the first forward pass; the owner checks gradients against it.</summary>
    public Tensor? LastOutput => _lastOutput;

    /// <summary>Adds into the weight's and bias's gradients; returns gradInput, or <paramref name="noGradient"/> when not required. The owner has checked the gradient's shape.</summary>
    public Tensor Backward(Tensor gradOutput, bool requiresInputGradient, Tensor noGradient)
    {
        if (_lastNormalized is null || _lastOutput is null)
        {
            throw new InvalidOperationException($"{_owner}: Backward was called before Forward; there is no forward pass to differentiate.");
        }

        Tensor gradInput = requiresInputGradient ? _gradInput.Get(_lastOutput.ShapeSpan) : noGradient;
        NormalizationKernels.ChannelNormalizeBackward(
            gradOutput.AsSpan(), _lastNormalized.AsSpan(), _inverseDeviation, Weight.Value.AsSpan(), _batch, _channels, _positions, _batchStatistics,
            Weight.Gradient.AsSpan(), Bias.Gradient.AsSpan(), requiresInputGradient ? gradInput.AsSpan() : []);
        return gradInput;
    }
}
