namespace TinyNet.Layers;

/// <summary>
/// Batch normalization over [batch, features] or [batch, features, length], as PyTorch's
/// <c>nn.BatchNorm1d(features)</c>; see <see cref="BatchNorm"/> for what it computes and keeps.
/// </summary>
public sealed class BatchNorm1d : BatchNorm
{
    /// <summary>Creates the layer: weight 1, bias 0, running mean 0, running variance 1.</summary>
    /// <param name="features">The size of the feature (channel) dimension; at least 1.</param>
    /// <param name="epsilon">Added to the variance before its square root; positive.</param>
    /// <param name="momentum">How far the running statistics move towards each batch's; in (0, 1].</param>
    public BatchNorm1d(int features, float epsilon = 1e-5f, float momentum = 0.1f)
        : base(features, epsilon, momentum)
    {
    }

    /// <summary>The features normalized.</summary>
    public int Features => ChannelCount;

    private protected override string DimensionName => "features";

    /// <summary>Takes [batch, features] or [batch, features, length].</summary>
    private protected override int PositionsOf(Tensor input)
    {
        if (input.Rank is not (2 or 3) || input.Dimension(1) != Features)
        {
            throw new ArgumentException($"{this} expects input of shape [batch, {Features}] or [batch, {Features}, length], got {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }

        return input.Rank == 3 ? input.Dimension(2) : 1;
    }
}
