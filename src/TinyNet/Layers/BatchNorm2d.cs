namespace TinyNet.Layers;

/// <summary>
/// Batch normalization of each channel of NCHW images over the batch, height and width, as
/// PyTorch's <c>nn.BatchNorm2d(channels)</c>; see <see cref="BatchNorm"/> for what it computes
/// and keeps.
/// </summary>
public sealed class BatchNorm2d : BatchNorm
{
    /// <summary>Creates the layer: weight 1, bias 0, running mean 0, running variance 1.</summary>
    /// <param name="channels">The channels of the images; at least 1.</param>
    /// <param name="epsilon">Added to the variance before its square root; positive.</param>
    /// <param name="momentum">How far the running statistics move towards each batch's; in (0, 1].</param>
    public BatchNorm2d(int channels, float epsilon = 1e-5f, float momentum = 0.1f)
        : base(channels, epsilon, momentum)
    {
    }

    /// <summary>The channels normalized.</summary>
    public int Channels => ChannelCount;

    private protected override string DimensionName => "channels";

    /// <summary>Takes [batch, channels, height, width].</summary>
    private protected override int PositionsOf(Tensor input)
    {
        if (input.Rank != 4 || input.Dimension(1) != Channels)
        {
            throw new ArgumentException($"{this} expects input of shape [batch, {Channels}, height, width], got {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }

        return input.Dimension(2) * input.Dimension(3);
    }
}
