namespace TinyNet.Benchmarks.Layers;

/// <summary>
/// One convolution to measure: a batch of images through a Conv2d, forward or backward. Its
/// flops are those of the pass's products: forward one, [out, patch] times [patch, batch *
/// positions]; backward two of the same size (the weight's and the input's gradients).
/// </summary>
public sealed record ConvolutionCase(string Name, int Batch, int InChannels, int Size, int OutChannels, int Kernel, int Padding, bool Backward) : IFlopCount
{
    /// <summary>The side of the output images (stride 1).</summary>
    public int OutSize => Size + (2 * Padding) - Kernel + 1;

    /// <summary>Output pixels of the batch: the products' long dimension.</summary>
    public int Rows => Batch * OutSize * OutSize;

    /// <summary>Floats per patch: inChannels x kernel².</summary>
    public int PatchSize => InChannels * Kernel * Kernel;

    /// <inheritdoc/>
    public double Flops => (Backward ? 2 : 1) * 2.0 * Rows * PatchSize * OutChannels;

    /// <summary>The shapes the issue's targets name: LeNet-5's two convolutions at batch 64, and a wider 3 x 3 layer at batch 32.</summary>
    public static IEnumerable<ConvolutionCase> All()
    {
        foreach (bool backward in new[] { false, true })
        {
            yield return new("LeNet conv1 64x1x28x28->6x5x5", 64, 1, 28, 6, 5, 0, backward);
            if (BenchmarkSettings.Smoke)
            {
                continue;
            }

            yield return new("LeNet conv2 64x6x12x12->16x5x5", 64, 6, 12, 16, 5, 0, backward);
            yield return new("wide 32x32x32x32->64x3x3,pad1", 32, 32, 32, 64, 3, 1, backward);
        }
    }

    /// <summary>Reads as the name and the pass, the way the benchmark table shows it.</summary>
    public override string ToString() => $"{Name} {(Backward ? "backward" : "forward")}";
}
