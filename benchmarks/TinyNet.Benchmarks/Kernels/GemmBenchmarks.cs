using BenchmarkDotNet.Attributes;
using MathNet.Numerics;
using MathNet.Numerics.Providers.LinearAlgebra;
using TinyNet.Kernels;

namespace TinyNet.Benchmarks.Kernels;

/// <summary>
/// C = op(A) * op(B) side by side: TinyNet (the baseline of the ratio column), its plain
/// reference loop, MathNet.Numerics' managed provider, and OpenBLAS's cblas_sgemm; at one thread
/// and at all of them. The GFLOP/s and %peak columns turn times into rates. TinyNet and
/// OpenBLAS read and write the same operands, held in tensors as in training (64-byte aligned);
/// MathNet and the reference loop get copies in plain arrays.
/// </summary>
[BenchmarkCategory("Gemm")]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private Tensor _tensorA = new(0);
    private Tensor _tensorB = new(0);
    private Tensor _tensorC = new(0);

    /// <summary>
    /// The square sizes, then the MLP 784-512-256-10 at batch 128 as the issue lists it: the
    /// forward products and both backward forms.
    /// </summary>
    public static IEnumerable<GemmShape> Shapes()
    {
        if (BenchmarkSettings.Smoke)
        {
            yield return new GemmShape(64, 64, 64);
            yield return new GemmShape(128, 10, 256, TransposeB: true, Role: "fwd");
            yield break;
        }

        foreach (int size in new[] { 32, 64, 128, 256, 512, 1024, 2048 })
        {
            yield return new GemmShape(size, size, size);
        }

        yield return new GemmShape(128, 512, 784, TransposeB: true, Role: "fwd");
        yield return new GemmShape(128, 256, 512, TransposeB: true, Role: "fwd");
        yield return new GemmShape(128, 10, 256, TransposeB: true, Role: "fwd");
        yield return new GemmShape(784, 512, 128, TransposeA: true, Role: "bwd dW");
        yield return new GemmShape(128, 784, 512, TransposeB: true, Role: "bwd dX");

        // The forms TinyNet's Linear (weight [out, in], as PyTorch) really calls for 784 -> 512:
        // dX = dY W is a plain A*B, and dW = dYᵀ X an Aᵀ*B with m and n the other way round.
        yield return new GemmShape(128, 784, 512, Role: "Linear dX");
        yield return new GemmShape(512, 784, 128, TransposeA: true, Role: "Linear dW");

        // The same two for the 10-class output layer (256 -> 10): dX sums over only 10 terms, and
        // dW has 10 rows, fewer than one tile of the blocked kernels.
        yield return new GemmShape(128, 256, 10, Role: "out dX");
        yield return new GemmShape(10, 256, 128, TransposeA: true, Role: "out dW");

        // The sample's 2-64-64-2 model: its first layer's dW has 2 columns, which the thin path
        // computes (1-3 columns, Aᵀ*B).
        yield return new GemmShape(64, 2, 128, TransposeA: true, Role: "2-64 dW");

        // A layer with 16 inputs (16 -> 64, tabular data): its dW has 16 columns, which the
        // 16-row, one-vector kernel computes (4-16 columns outside A*Bᵀ).
        yield return new GemmShape(64, 16, 128, TransposeA: true, Role: "16-64 dW");

        // One sample through the first layer, as at inference, and a batch of 32 (the
        // transposed path: the weight read in place, the 32 rows packed).
        yield return new GemmShape(1, 512, 784, TransposeB: true, Role: "infer");
        yield return new GemmShape(32, 512, 784, TransposeB: true, Role: "fwd b32");
    }

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = new(1, 1, 1);

    [ParamsSource(typeof(BenchmarkSettings), nameof(BenchmarkSettings.ThreadCounts))]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _a = Fill(Shape.M * Shape.K, random);
        _b = Fill(Shape.K * Shape.N, random);
        _c = new float[Shape.M * Shape.N];
        _tensorA = Tensor.FromArray(_a, _a.Length);
        _tensorB = Tensor.FromArray(_b, _b.Length);
        _tensorC = new Tensor(_c.Length);
        KernelOptions.MaxDegreeOfParallelism = Threads;
        Control.MaxDegreeOfParallelism = Threads;
        LinearAlgebraControl.UseManaged();
        if (OpenBlas.IsAvailable)
        {
            OpenBlas.SetThreads(Threads);
        }
    }

    [Benchmark(Baseline = true)]
    public void TinyNetGemm() =>
        Gemm.Multiply(_tensorA.AsSpan(), _tensorB.AsSpan(), _tensorC.AsSpan(), Shape.M, Shape.N, Shape.K, Shape.TransposeA, Shape.TransposeB);

    [Benchmark]
    public void OpenBlasSgemm() => OpenBlas.Multiply(_tensorA.AsSpan(), _tensorB.AsSpan(), _tensorC.AsSpan(), Shape);

    [Benchmark]
    public void MathNetManaged()
    {
        // MathNet is column-major: a row-major X is its Xᵀ, so row-major C = op(A) op(B) is
        // column-major Cᵀ = op(B)ᵀ op(A)ᵀ, with the operands swapped and the flags kept.
        LinearAlgebraControl.Provider.MatrixMultiplyWithUpdate(
            Shape.TransposeB ? Transpose.Transpose : Transpose.DontTranspose,
            Shape.TransposeA ? Transpose.Transpose : Transpose.DontTranspose,
            1f,
            _b, Shape.TransposeB ? Shape.K : Shape.N, Shape.TransposeB ? Shape.N : Shape.K,
            _a, Shape.TransposeA ? Shape.M : Shape.K, Shape.TransposeA ? Shape.K : Shape.M,
            0f,
            _c);
    }

    [Benchmark]
    public void ReferenceLoop() =>
        Gemm.MultiplyWith(GemmKernel.Reference, _a, _b, _c, Shape.M, Shape.N, Shape.K, Shape.TransposeA, Shape.TransposeB);

    /// <summary>An operand of <paramref name="length"/> values in a tensor, as a layer holds it: uniform in [-1, 1).</summary>
    internal static Tensor Operand(int length, Random random) => Tensor.FromArray(Fill(length, random), length);

    /// <summary>Uniform values in [-1, 1).</summary>
    internal static float[] Fill(int length, Random random)
    {
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
