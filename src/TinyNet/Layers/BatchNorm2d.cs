using System.Globalization;

namespace TinyNet.Layers;

/// <summary>
/// Batch normalization of each channel of NCHW images over the batch, height and width, as
/// PyTorch's <c>nn.BatchNorm2d(channels)</c> with its defaults (eps 1e-5, momentum 0.1, affine,
/// running statistics). Training and evaluation behave as in <see cref="BatchNorm1d"/>; the
/// running statistics are saved as <c>running_mean</c>, <c>running_var</c> and
/// <c>num_batches_tracked</c>.
/// </summary>
public sealed class BatchNorm2d : Layer
{
    private readonly BatchNormCore _core;

    /// <summary>Creates the layer: weight 1, bias 0, running mean 0, running variance 1.</summary>
    /// <param name="channels">The channels of the images; at least 1.</param>
    /// <param name="epsilon">Added to the variance before its square root; positive.</param>
    /// <param name="momentum">How far the running statistics move towards each batch's; in (0, 1].</param>
    public BatchNorm2d(int channels, float epsilon = 1e-5f, float momentum = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        NormalizationArguments.Check(epsilon, momentum);
        _core = new BatchNormCore(this, channels, epsilon, momentum);
    }

    /// <summary>The scale, [channels], initially 1.</summary>
    public Parameter Weight => _core.Weight;

    /// <summary>The shift, [channels], initially 0.</summary>
    public Parameter Bias => _core.Bias;

    /// <summary>The running mean, [channels] (<c>running_mean</c>).</summary>
    public Tensor RunningMean => _core.RunningMean.Value;

    /// <summary>The running (unbiased) variance, [channels] (<c>running_var</c>).</summary>
    public Tensor RunningVariance => _core.RunningVariance.Value;

    /// <summary>The channels normalized.</summary>
    public int Channels => _core.Weight.Value.Length;

    /// <summary>Added to the variance before its square root.</summary>
    public float Epsilon => _core.Epsilon;

    /// <summary>How far the running statistics move towards each batch's.</summary>
    public float Momentum => _core.Momentum;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _core.Parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<NamedTensor> Buffers => _core.Buffers;

    /// <summary>Normalizes each channel.</summary>
    /// <param name="input">[batch, channels, height, width]; in training, more than one value per channel.</param>
    /// <returns>The input's shape, owned by the layer.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Dimension(1) != Channels)
        {
            throw new ArgumentException($"{this} expects input of shape [batch, {Channels}, height, width], got {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }

        return _core.Forward(input, input.Dimension(0), input.Dimension(2) * input.Dimension(3));
    }

    /// <summary>gradWeight += sum(dy * xhat); gradBias += sum(dy); gradInput through the batch statistics in training, through the fixed ones in evaluation.</summary>
    /// <param name="gradOutput">[batch, channels, height, width].</param>
    /// <returns>The input's shape, owned by the layer; empty when <see cref="Layer.RequiresInputGradient"/> is false.</returns>
    public override Tensor Backward(Tensor gradOutput)
    {
        CheckGradientShape(gradOutput, _core.LastOutput ?? throw BackwardBeforeForward(this));
        return _core.Backward(gradOutput, RequiresInputGradient, NoGradient);
    }

    /// <summary>Reads as <c>BatchNorm2d(channels: 16, epsilon: 1E-05, momentum: 0.1)</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"BatchNorm2d(channels: {Channels}, epsilon: {_core.Epsilon}, momentum: {_core.Momentum})");
}
