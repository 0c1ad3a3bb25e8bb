using System.Globalization;
using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>
/// A 2-D convolution over NCHW images, as PyTorch's <c>nn.Conv2d</c> with square kernels:
/// output[n, o, y, x] = bias[o] + the sum over c, ky, kx of weight[o, c, ky, kx] *
/// input[n, c, y * stride - padding + ky, x * stride - padding + kx], with zeros in the padding.
/// It is computed as one matrix product over the whole batch: the patches are laid out as
/// columns (im2col, [inChannels * kernel², batch * positions], in a buffer reused from call to
/// call), and the output is weight [out, patch] times them; every product is one
/// <see cref="Gemm"/> call, so the layer runs on the GEMM's threads and gives the same bits on
/// any thread count.
/// </summary>
public sealed class Conv2d : Layer
{
    private readonly int _inChannels;
    private readonly int _outChannels;
    private readonly int _kernelSize;
    private readonly int _stride;
    private readonly int _padding;
    private readonly Parameter[] _parameters;
    private readonly TensorBuffer _columns = new();
    private readonly TensorBuffer _product = new();
    private readonly TensorBuffer _output = new();
    private readonly TensorBuffer _gradProduct = new();
    private readonly TensorBuffer _gradColumns = new();
    private readonly TensorBuffer _gradInput = new();

    // Kept by Forward for Backward: the geometry, the patch columns (gradWeight = gradProduct *
    // columnsᵀ), the output (for the shape check) and the input's shape (for gradInput).
    private ConvolutionShape _shape;
    private Tensor? _patches;
    private Tensor? _lastOutput;
    private Tensor? _input;

    /// <summary>Creates the layer, initialized as PyTorch initializes <c>nn.Conv2d</c>.</summary>
    /// <param name="inChannels">Channels of the input; at least 1.</param>
    /// <param name="outChannels">Channels of the output (filters); at least 1.</param>
    /// <param name="kernelSize">The side of the square kernel; at least 1.</param>
    /// <param name="stride">The step between windows; at least 1.</param>
    /// <param name="padding">Zeros added on every side of each image; 0 or more.</param>
    /// <param name="bias">Whether to learn an additive bias per output channel.</param>
    /// <param name="seed">The seed of the initial weights; by default the next of <see cref="Initializers.NextSeed"/>.</param>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, bool bias = true, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        _inChannels = inChannels;
        _outChannels = outChannels;
        _kernelSize = kernelSize;
        _stride = stride;
        _padding = padding;
        Weight = new Parameter("weight", new Tensor(outChannels, inChannels, kernelSize, kernelSize));
        Bias = bias ? new Parameter("bias", new Tensor(outChannels)) : null;
        _parameters = Bias is null ? [Weight] : [Weight, Bias];
        ResetParameters(new Random(seed ?? Initializers.NextSeed()));
    }

    /// <summary>The filters, [outChannels, inChannels, kernelSize, kernelSize].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias, [outChannels], or null when the layer has none.</summary>
    public Parameter? Bias { get; }

    /// <summary>Channels of the input.</summary>
    public int InChannels => _inChannels;

    /// <summary>Channels of the output.</summary>
    public int OutChannels => _outChannels;

    /// <summary>The side of the square kernel.</summary>
    public int KernelSize => _kernelSize;

    /// <summary>The step between windows.</summary>
    public int Stride => _stride;

    /// <summary>Zeros added on every side.</summary>
    public int Padding => _padding;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    private int PatchSize => _inChannels * _kernelSize * _kernelSize;

    /// <summary>
    /// Re-initializes as PyTorch's <c>nn.Conv2d.reset_parameters</c>: the weight Kaiming-uniform
    /// with a = sqrt(5) over fanIn = inChannels x kernelSize², i.e. U(-1/sqrt(fanIn),
    /// 1/sqrt(fanIn)), and the bias from the same interval.
    /// </summary>
    /// <param name="random">The random source.</param>
    public void ResetParameters(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Initializers.KaimingUniform(Weight.Value.AsSpan(), PatchSize, MathF.Sqrt(5f), random);
        if (Bias is not null)
        {
            Initializers.Uniform(Bias.Value.AsSpan(), 1f / MathF.Sqrt(PatchSize), random);
        }
    }

    /// <summary>Convolves a batch of images.</summary>
    /// <param name="input">[batch, inChannels, height, width], with height and width + 2 padding at least kernelSize.</param>
    /// <returns>[batch, outChannels, outHeight, outWidth], owned by the layer; outHeight = (height + 2 padding - kernelSize) / stride + 1, likewise outWidth.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Dimension(1) != _inChannels
            || input.Dimension(2) + (2 * _padding) < _kernelSize || input.Dimension(3) + (2 * _padding) < _kernelSize)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{this} expects input of shape [batch, {_inChannels}, height, width] with height and width at least {Math.Max(1, _kernelSize - (2 * _padding))}, got {Tensor.FormatShape(input.Shape)}."),
                nameof(input));
        }

        var shape = new ConvolutionShape(input.Dimension(0), _inChannels, input.Dimension(2), input.Dimension(3), _kernelSize, _stride, _padding);
        int pixels = shape.Batch * shape.Positions;
        Tensor patches = _columns.Get([PatchSize, pixels]);
        ConvolutionKernels.ImagesToColumns(input.AsSpan(), shape, patches.AsSpan());

        // product [out, pixels] = weight [out, patch] * columns [patch, pixels], then in NCHW order with the bias.
        Tensor product = _product.Get([_outChannels, pixels]);
        Gemm.Multiply(Weight.Value.AsSpan(), patches.AsSpan(), product.AsSpan(), _outChannels, pixels, PatchSize);
        Tensor output = _output.Get([shape.Batch, _outChannels, shape.OutHeight, shape.OutWidth]);
        ConvolutionKernels.ProductToChannels(product.AsSpan(), Bias is null ? [] : Bias.Value.AsSpan(), shape.Batch, _outChannels, shape.Positions, output.AsSpan());
        _shape = shape;
        _patches = patches;
        _lastOutput = output;
        _input = input;
        return output;
    }

    /// <summary>
    /// gradWeight += gradProduct * columnsᵀ; gradBias += the sums of each output channel's
    /// gradient; gradInput = the patches' gradients (weightᵀ * gradProduct) added back onto the
    /// pixels they came from. gradProduct is gradOutput as [out, batch * positions].
    /// </summary>
    /// <param name="gradOutput">[batch, outChannels, outHeight, outWidth].</param>
    /// <returns>[batch, inChannels, height, width], owned by the layer; empty when <see cref="Layer.RequiresInputGradient"/> is false.</returns>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_patches is null || _lastOutput is null || _input is null)
        {
            throw BackwardBeforeForward(this);
        }

        CheckGradientShape(gradOutput, _lastOutput);
        int pixels = _shape.Batch * _shape.Positions;
        Tensor gradProduct = _gradProduct.Get([_outChannels, pixels]);
        ConvolutionKernels.ChannelsToProduct(gradOutput.AsSpan(), _shape.Batch, _outChannels, _shape.Positions, gradProduct.AsSpan());
        Gemm.Multiply(gradProduct.AsSpan(), _patches.AsSpan(), Weight.Gradient.AsSpan(), _outChannels, PatchSize, pixels, transposeB: true, beta: 1f);
        if (Bias is not null)
        {
            MatrixKernels.AddRowSums(gradProduct.AsSpan(), pixels, Bias.Gradient.AsSpan());
        }

        if (!RequiresInputGradient)
        {
            return NoGradient;
        }

        Tensor gradColumns = _gradColumns.Get([PatchSize, pixels]);
        Gemm.Multiply(Weight.Value.AsSpan(), gradProduct.AsSpan(), gradColumns.AsSpan(), PatchSize, pixels, _outChannels, transposeA: true);
        Tensor gradInput = _gradInput.Get(_input.ShapeSpan);
        ConvolutionKernels.ColumnsToImages(gradColumns.AsSpan(), _shape, gradInput.AsSpan());
        return gradInput;
    }

    /// <summary>Reads as <c>Conv2d(inChannels: 1, outChannels: 6, kernelSize: 5, stride: 1, padding: 0, bias: true)</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() =>
        $"Conv2d(inChannels: {_inChannels}, outChannels: {_outChannels}, kernelSize: {_kernelSize}, stride: {_stride}, padding: {_padding}, bias: {(Bias is not null ? "true" : "false")})";
}
