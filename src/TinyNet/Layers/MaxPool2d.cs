using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>
/// 2-D max pooling over NCHW images, as PyTorch's <c>nn.MaxPool2d</c> with padding 0: each output
/// is the largest value of its kernelSize x kernelSize window (NaN propagates; the first of
/// equal values wins), and the gradient flows to that element.
/// </summary>
public sealed class MaxPool2d : Pool2d
{
    // Kept by Pool for Unpool: where in its input plane each output's value came from.
    private int[] _argmax = [];

    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">The side of the square window; at least 1.</param>
    /// <param name="stride">The step between windows; null (the default) for kernelSize, as in PyTorch.</param>
    public MaxPool2d(int kernelSize, int? stride = null)
        : base(kernelSize, stride)
    {
    }

    private protected override void Pool(Tensor input, in ConvolutionShape shape, Tensor output)
    {
        if (_argmax.Length < output.Length)
        {
            _argmax = new int[output.Length];
        }

        PoolingKernels.MaxForward(input.AsSpan(), shape, output.AsSpan(), _argmax);
    }

    private protected override void Unpool(Tensor gradOutput, in ConvolutionShape shape, Tensor gradInput) =>
        PoolingKernels.MaxBackward(gradOutput.AsSpan(), _argmax, shape, gradInput.AsSpan());
}
