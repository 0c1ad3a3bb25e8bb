namespace TinyNet.Kernels;

/// <summary>
/// The geometry of a 2-D convolution or pooling window over NCHW images: a square window of
/// <see cref="Kernel"/> pixels moved by <see cref="Stride"/>, over images padded with
/// <see cref="Padding"/> zeros on every side. An output pixel (oy, ox) covers input rows
/// oy * stride - padding + 0 .. kernel - 1, and likewise columns.
/// </summary>
internal readonly record struct ConvolutionShape(int Batch, int Channels, int Height, int Width, int Kernel, int Stride, int Padding)
{
    /// <summary>Output rows: floor((height + 2 padding - kernel) / stride) + 1.</summary>
    public int OutHeight => ((Height + (2 * Padding) - Kernel) / Stride) + 1;

    /// <summary>Output columns: floor((width + 2 padding - kernel) / stride) + 1.</summary>
    public int OutWidth => ((Width + (2 * Padding) - Kernel) / Stride) + 1;

    /// <summary>Output pixels per image and channel.</summary>
    public int Positions => OutHeight * OutWidth;

    /// <summary>Floats in one patch: channels x kernel x kernel.</summary>
    public int PatchSize => Channels * Kernel * Kernel;

    /// <summary>Floats in one input image: channels x height x width.</summary>
    public int ImageSize => Channels * Height * Width;
}
