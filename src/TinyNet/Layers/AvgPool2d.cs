using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>
/// 2-D average pooling over NCHW images, as PyTorch's <c>nn.AvgPool2d</c> with padding 0: each
/// output is the mean of its kernelSize x kernelSize window, and its gradient is spread evenly
/// over the window.
/// </summary>
public sealed class AvgPool2d : Pool2d
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">The side of the square window; at least 1.</param>
    /// <param name="stride">The step between windows; null (the default) for kernelSize, as in PyTorch.</param>
    public AvgPool2d(int kernelSize, int? stride = null)
        : base(kernelSize, stride)
    {
    }

    private protected override void Pool(Tensor input, in ConvolutionShape shape, Tensor output) =>
        PoolingKernels.AverageForward(input.AsSpan(), shape, output.AsSpan());

    private protected override void Unpool(Tensor gradOutput, in ConvolutionShape shape, Tensor gradInput) =>
        PoolingKernels.AverageBackward(gradOutput.AsSpan(), shape, gradInput.AsSpan());
}
