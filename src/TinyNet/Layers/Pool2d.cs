using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>
/// What <see cref="MaxPool2d"/> and <see cref="AvgPool2d"/> share: a square window of
/// kernelSize pixels moved by stride over each channel of NCHW images, without padding (as
/// PyTorch's pooling layers with their default padding 0: windows that would run past the edge
/// are dropped), the input check and the buffers.
/// </summary>
public abstract class Pool2d : Layer
{
    private readonly TensorBuffer _output = new();
    private readonly TensorBuffer _gradInput = new();

    // Kept by Forward for Backward: the geometry, the input's shape and the output (for the shape check).
    private ConvolutionShape _shape;
    private Tensor? _input;
    private Tensor? _lastOutput;

    private protected Pool2d(int kernelSize, int? stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        if (stride is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be at least 1, or null for the kernel size.");
        }

        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
    }

    /// <summary>The side of the window.</summary>
    public int KernelSize { get; }

    /// <summary>The step between windows; the kernel size unless another was given, as in PyTorch.</summary>
    public int Stride { get; }

    /// <summary>Pools each channel of each image.</summary>
    /// <param name="input">[batch, channels, height, width], height and width at least kernelSize.</param>
    /// <returns>[batch, channels, outHeight, outWidth], owned by the layer; outHeight = (height - kernelSize) / stride + 1, likewise outWidth.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Dimension(2) < KernelSize || input.Dimension(3) < KernelSize)
        {
            throw new ArgumentException(
                $"{this} expects input of shape [batch, channels, height, width] with height and width at least {KernelSize}, got {Tensor.FormatShape(input.Shape)}.",
                nameof(input));
        }

        var shape = new ConvolutionShape(input.Dimension(0), input.Dimension(1), input.Dimension(2), input.Dimension(3), KernelSize, Stride, Padding: 0);
        Tensor output = _output.Get([shape.Batch, shape.Channels, shape.OutHeight, shape.OutWidth]);
        Pool(input, shape, output);
        _shape = shape;
        _input = input;
        _lastOutput = output;
        return output;
    }

    /// <summary>Back-propagates through the windows (summed where windows overlap).</summary>
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
        Unpool(gradOutput, _shape, gradInput);
        return gradInput;
    }

    /// <summary>Reads as <c>MaxPool2d(kernelSize: 2, stride: 2)</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() => $"{GetType().Name}(kernelSize: {KernelSize}, stride: {Stride})";

    /// <summary>Writes each window's value into <paramref name="output"/>, keeping what <see cref="Unpool"/> needs.</summary>
    private protected abstract void Pool(Tensor input, in ConvolutionShape shape, Tensor output);

    /// <summary>Writes the input gradient of the last <see cref="Pool"/>.</summary>
    private protected abstract void Unpool(Tensor gradOutput, in ConvolutionShape shape, Tensor gradInput);
}
