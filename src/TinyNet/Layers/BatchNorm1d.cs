using System.Globalization;

namespace TinyNet.Layers;

/// <summary>
/// Batch normalization over [batch, features] or [batch, features, length], as PyTorch's
/// <c>nn.BatchNorm1d(features)</c> with its defaults (eps 1e-5, momentum 0.1, affine, running
/// statistics). In training each feature is normalized with the batch's mean and biased
/// variance, and <c>running_mean</c> and <c>running_var</c> move towards the batch's mean and
/// unbiased variance by the momentum; in evaluation the running statistics normalize. Then
/// y = xhat * weight + bias. The running statistics are buffers, saved in model files and
/// checkpoints; <c>num_batches_tracked</c> counts the training batches, as in PyTorch (kept as a
/// float, so it is exact up to 2^24 batches; with a momentum it changes nothing computed).
/// </summary>
public sealed class BatchNorm1d : Layer
{
    private readonly BatchNormCore _core;

    /// <summary>Creates the layer: weight 1, bias 0, running mean 0, running variance 1.</summary>
    /// <param name="features">The size of the feature (channel) dimension; at least 1.</param>
    /// <param name="epsilon">Added to the variance before its square root; positive.</param>
    /// <param name="momentum">How far the running statistics move towards each batch's; in (0, 1].</param>
    public BatchNorm1d(int features, float epsilon = 1e-5f, float momentum = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        NormalizationArguments.Check(epsilon, momentum);
        _core = new BatchNormCore(this, features, epsilon, momentum);
    }

    /// <summary>The scale, [features], initially 1.</summary>
    public Parameter Weight => _core.Weight;

    /// <summary>The shift, [features], initially 0.</summary>
    public Parameter Bias => _core.Bias;

    /// <summary>The running mean, [features] (<c>running_mean</c>).</summary>
    public Tensor RunningMean => _core.RunningMean.Value;

    /// <summary>The running (unbiased) variance, [features] (<c>running_var</c>).</summary>
    public Tensor RunningVariance => _core.RunningVariance.Value;

    /// <summary>The features normalized.</summary>
    public int Features => _core.Weight.Value.Length;

    /// <summary>Added to the variance before its square root.</summary>
    public float Epsilon => _core.Epsilon;

    /// <summary>How far the running statistics move towards each batch's.</summary>
    public float Momentum => _core.Momentum;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _core.Parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<NamedTensor> Buffers => _core.Buffers;

    /// <summary>Normalizes each feature.</summary>
    /// <param name="input">[batch, features] or [batch, features, length]; in training, more than one value per feature.</param>
    /// <returns>The input's shape, owned by the layer.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 3) || input.Dimension(1) != Features)
        {
            throw new ArgumentException($"{this} expects input of shape [batch, {Features}] or [batch, {Features}, length], got {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }

        return _core.Forward(input, input.Dimension(0), input.Rank == 3 ? input.Dimension(2) : 1);
    }

    /// <summary>gradWeight += sum(dy * xhat); gradBias += sum(dy); gradInput through the batch statistics in training, through the fixed ones in evaluation.</summary>
    /// <param name="gradOutput">The last output's shape.</param>
    /// <returns>The input's shape, owned by the layer; empty when <see cref="Layer.RequiresInputGradient"/> is false.</returns>
    public override Tensor Backward(Tensor gradOutput)
    {
        CheckGradientShape(gradOutput, _core.LastOutput ?? throw BackwardBeforeForward(this));
        return _core.Backward(gradOutput, RequiresInputGradient, NoGradient);
    }

    /// <summary>Reads as <c>BatchNorm1d(features: 64, epsilon: 1E-05, momentum: 0.1)</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"BatchNorm1d(features: {Features}, epsilon: {_core.Epsilon}, momentum: {_core.Momentum})");
}
