using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>
/// 2-D max pooling over NCHW images, as PyTorch's <c>nn.MaxPool2d</c> with padding 0: each output
/// is the largest value of its kernelSize x kernelSize window (NaN propagates); windows that
/// would run past the edge are dropped. The gradient flows to each window's largest element.
/// </summary>
public sealed class MaxPool2d : Layer
{
    private readonly PoolingWindow _window;
    private readonly TensorBuffer _output = new();
    private readonly TensorBuffer _gradInput = new();
    private int[] _argmax = [];

    // Kept by Forward for Backward: the geometry, the output (for the shape check) and, in
    // _argmax, where in its input plane each output's value came from.
    private ConvolutionShape _shape;
    private Tensor? _input;
    private Tensor? _lastOutput;

    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">The side of the square window; at least 1.</param>
    /// <param name="stride">The step between windows; null (the default) for kernelSize, as in PyTorch.</param>
    public MaxPool2d(int kernelSize, int? stride = null) => _window = PoolingWindow.Create(kernelSize, stride);

    /// <summary>The side of the window.</summary>
    public int KernelSize => _window.KernelSize;

    /// <summary>The step between windows.</summary>
    public int Stride => _window.Stride;

    /// <summary>Pools each channel of each image.</summary>
    /// <param name="input">[batch, channels, height, width], height and width at least kernelSize.</param>
    /// <returns>[batch, channels, outHeight, outWidth], owned by the layer; outHeight = (height - kernelSize) / stride + 1.</returns>
    public override Tensor Forward(Tensor input)
    {
        ConvolutionShape shape = _window.ShapeOf(input, this);
        Tensor output = _output.Get([shape.Batch, shape.Channels, shape.OutHeight, shape.OutWidth]);
        if (_argmax.Length < output.Length)
        {
            _argmax = new int[output.Length];
        }

        PoolingKernels.MaxForward(input.AsSpan(), shape, output.AsSpan(), _argmax);
        _shape = shape;
        _input = input;
        _lastOutput = output;
        return output;
    }

    /// <summary>gradInput = each output's gradient at its window's largest element, 0 elsewhere (summed where windows overlap).</summary>
    /// <param name="gradOutput">[batch, channels, outHeight, outWidth].</param>
    /// <returns>[batch, channels, height, width], owned by the layer; empty when <see cref="Layer.RequiresInputGradient"/> is false.</returns>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_input is null || _lastOutput is null)
        {
            throw BackwardBeforeForward(this);
        }

        CheckGradientShape(gradOutput, _lastOutput);
        if (!RequiresInputGradient)
        {
            return NoGradient;
        }

        Tensor gradInput = _gradInput.Get(_input.ShapeSpan);
        PoolingKernels.MaxBackward(gradOutput.AsSpan(), _argmax, _shape, gradInput.AsSpan());
        return gradInput;
    }

    /// <summary>Reads as <c>MaxPool2d(kernelSize: 2, stride: 2)</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() => $"MaxPool2d(kernelSize: {KernelSize}, stride: {Stride})";
}
