using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>The window of a pooling layer, and the check of its input, shared by <see cref="MaxPool2d"/> and <see cref="AvgPool2d"/>.</summary>
internal readonly record struct PoolingWindow(int KernelSize, int Stride)
{
    /// <summary>Validates the constructor's arguments: the stride defaults to the kernel size, as in PyTorch.</summary>
    public static PoolingWindow Create(int kernelSize, int? stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        if (stride is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be at least 1, or null for the kernel size.");
        }

        return new PoolingWindow(kernelSize, stride ?? kernelSize);
    }

    /// <summary>The geometry of <paramref name="input"/> under this window; throws naming <paramref name="layer"/> unless it is [batch, channels, height, width] with both sides at least the kernel size.</summary>
    public ConvolutionShape ShapeOf(Tensor input, Layer layer)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Dimension(2) < KernelSize || input.Dimension(3) < KernelSize)
        {
            throw new ArgumentException(
                $"{layer} expects input of shape [batch, channels, height, width] with height and width at least {KernelSize}, got {Tensor.FormatShape(input.Shape)}.",
                nameof(input));
        }

        return new ConvolutionShape(input.Dimension(0), input.Dimension(1), input.Dimension(2), input.Dimension(3), KernelSize, Stride, Padding: 0);
    }
}
