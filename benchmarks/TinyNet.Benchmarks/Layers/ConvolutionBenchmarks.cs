using BenchmarkDotNet.Attributes;
using TinyNet.Kernels;
using TinyNet.Layers;

namespace TinyNet.Benchmarks.Layers;

/// <summary>
/// Conv2d's forward or backward pass against the same products done as plain GEMM calls on
/// the same data (the baseline): the ratio is the cost of laying out patches (im2col) and of the
/// transposes between the products' rows and NCHW. GFLOP/s and %peak count the products' flops.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Layers")]
public class ConvolutionBenchmarks
{
    private Conv2d _layer = null!;
    private Tensor _input = null!;
    private Tensor _gradient = null!;
    private float[] _patches = [];
    private float[] _rows = [];
    private float[] _gradPatches = [];
    private float[] _gradWeight = [];

    [ParamsSource(nameof(Cases))]
    public ConvolutionCase Case { get; set; } = null!;

    [ParamsSource(typeof(BenchmarkSettings), nameof(BenchmarkSettings.ThreadCounts))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<ConvolutionCase> Cases() => ConvolutionCase.All();

    [GlobalSetup]
    public void Setup()
    {
        KernelOptions.MaxDegreeOfParallelism = Threads;
        ConvolutionCase c = Case;
        _layer = new Conv2d(c.InChannels, c.OutChannels, c.Kernel, padding: c.Padding, seed: 1);
        _input = Random(2, c.Batch, c.InChannels, c.Size, c.Size);
        _gradient = Random(3, c.Batch, c.OutChannels, c.OutSize, c.OutSize);
        _patches = Random(4, c.PatchSize, c.Rows).ToArray();
        _rows = Random(5, c.OutChannels, c.Rows).ToArray();
        _gradPatches = new float[c.Rows * c.PatchSize];
        _gradWeight = new float[c.OutChannels * c.PatchSize];
        _layer.Forward(_input);
        Layer();
        PlainGemm();
    }

    /// <summary>The layer's pass: forward; or backward (dW and dX) through the forward pass made in setup, which it keeps.</summary>
    [Benchmark]
    public Tensor Layer() => Case.Backward ? _layer.Backward(_gradient) : _layer.Forward(_input);

    /// <summary>
    /// The pass's products alone, as the layer calls them: forward W [out, patch] * columns
    /// [patch, pixels]; backward dW += dY [out, pixels] * columnsᵀ and dColumns = Wᵀ * dY.
    /// </summary>
    [Benchmark(Baseline = true)]
    public float PlainGemm()
    {
        ConvolutionCase c = Case;
        ReadOnlySpan<float> weight = _layer.Weight.Value.AsSpan();
        if (!c.Backward)
        {
            Gemm.Multiply(weight, _patches, _rows, c.OutChannels, c.Rows, c.PatchSize);
            return _rows[0];
        }

        Gemm.Multiply(_rows, _patches, _gradWeight, c.OutChannels, c.PatchSize, c.Rows, transposeB: true, beta: 1f);
        Gemm.Multiply(weight, _rows, _gradPatches, c.PatchSize, c.Rows, c.OutChannels, transposeA: true);
        return _gradPatches[0];
    }

    private static Tensor Random(int seed, params int[] shape)
    {
        var random = new Random(seed);
        var tensor = new Tensor(shape);
        foreach (ref float value in tensor.AsSpan())
        {
            value = random.NextSingle() - 0.5f;
        }

        return tensor;
    }
}
