using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TinyNet.Kernels;

/// <summary>
/// General matrix multiply on row-major float matrices: C = alpha * op(A) * op(B) + beta * C.
/// The blocked, packed algorithm of BLIS with SIMD micro-kernels; multi-threaded over the rows
/// and columns of C, never over k, so results do not depend on the thread count.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// The environment variable that forces one variant at start-up: <c>reference</c>,
    /// <c>scalar</c>, <c>vector128</c>, <c>vector256</c> or <c>vector512</c>.
    /// </summary>
    public const string KernelVariable = "TINYNET_GEMM_KERNEL";

    private static readonly Lazy<GemmKernel> s_kernel = new(() => ParseKernel(Environment.GetEnvironmentVariable(KernelVariable)));

    /// <summary>
    /// The variant <see cref="Multiply"/> uses: the widest the hardware supports, unless
    /// <c>TINYNET_GEMM_KERNEL</c> names another.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>TINYNET_GEMM_KERNEL</c> names an unknown or unsupported variant.</exception>
    public static GemmKernel Kernel => s_kernel.Value;

    /// <summary>Tells whether this machine can run <paramref name="kernel"/> natively.</summary>
    /// <param name="kernel">The variant.</param>
    /// <returns>True for the reference and scalar variants always, and for a SIMD variant its hardware supports.</returns>
    public static bool IsSupported(GemmKernel kernel) => kernel switch
    {
        GemmKernel.Reference or GemmKernel.Scalar => true,
        GemmKernel.Vector128 => Vector128Simd.IsSupported,
        GemmKernel.Vector256 => Vector256Simd.IsSupported,
        GemmKernel.Vector512 => Vector512Simd.IsSupported,
        _ => false,
    };

    /// <summary>
    /// C = alpha * op(A) * op(B) + beta * C, with op(X) = X or Xᵀ. All matrices are dense and
    /// row-major. With <paramref name="beta"/> = 0, C is never read (it may hold NaN).
    /// With <paramref name="k"/> = 0 or <paramref name="alpha"/> = 0, C = beta * C.
    /// </summary>
    /// <param name="a">op(A) is [m, k]: A is stored [m, k], or [k, m] when <paramref name="transposeA"/>.</param>
    /// <param name="b">op(B) is [k, n]: B is stored [k, n], or [n, k] when <paramref name="transposeB"/>.</param>
    /// <param name="c">C, [m, n]; must not overlap A or B.</param>
    /// <param name="m">The rows of op(A) and of C.</param>
    /// <param name="n">The columns of op(B) and of C.</param>
    /// <param name="k">The columns of op(A) and the rows of op(B).</param>
    /// <param name="transposeA">Use Aᵀ: A is stored [k, m].</param>
    /// <param name="transposeB">Use Bᵀ: B is stored [n, k].</param>
    /// <param name="alpha">The scale of the product.</param>
    /// <param name="beta">The scale of C's old value.</param>
    /// <exception cref="ArgumentOutOfRangeException">m, n or k is negative.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix needs, or C overlaps A or B.</exception>
    public static void Multiply(
        ReadOnlySpan<float> a,
        ReadOnlySpan<float> b,
        Span<float> c,
        int m,
        int n,
        int k,
        bool transposeA = false,
        bool transposeB = false,
        float alpha = 1f,
        float beta = 0f) =>
        MultiplyWith(Kernel, a, b, c, m, n, k, transposeA, transposeB, alpha, beta);

    /// <summary>
    /// <see cref="Multiply"/> with a chosen variant, for tests and benchmarks. The same checks;
    /// an unsupported SIMD variant runs in software (slowly) rather than failing.
    /// </summary>
    internal static unsafe void MultiplyWith(
        GemmKernel kernel,
        ReadOnlySpan<float> a,
        ReadOnlySpan<float> b,
        Span<float> c,
        int m,
        int n,
        int k,
        bool transposeA = false,
        bool transposeB = false,
        float alpha = 1f,
        float beta = 0f,
        int maxThreads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckLength(a.Length, m, k, transposeA, "a", "A", "m", "k");
        CheckLength(b.Length, k, n, transposeB, "b", "B", "k", "n");
        CheckLength(c.Length, m, n, transposed: false, "c", "C", "m", "n");
        int cLength = m * n;
        if (cLength > 0)
        {
            Span<float> cUsed = c[..cLength];
            if (cUsed.Overlaps(a[..(m * k)]) || cUsed.Overlaps(b[..(k * n)]))
            {
                throw new ArgumentException("c must not overlap a or b: C is written while A and B are read.", nameof(c));
            }
        }

        if (cLength == 0)
        {
            return;
        }

        if (k == 0 || alpha == 0f)
        {
            Scale(c[..cLength], beta);
            return;
        }

        if (maxThreads <= 0)
        {
            maxThreads = KernelOptions.MaxDegreeOfParallelism;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            Run(kernel, new GemmArguments(pa, transposeA, pb, transposeB, pc, m, n, k, alpha, beta), maxThreads);
        }
    }

    /// <summary>
    /// The one dispatch point: runs a checked, nonempty product (k and alpha nonzero) on the
    /// chosen variant, by the path <see cref="GemmPlan.ChoosePath"/> picks.
    /// </summary>
    internal static void Run(GemmKernel kernel, in GemmArguments args, int maxThreads) =>
        RunPath(ChoosePath(kernel, args, maxThreads), kernel, args, maxThreads);

    /// <summary>The path <see cref="GemmPlan.ChoosePath"/> picks for a call on a variant here, or the one it would pick without <paramref name="passOver"/>'s rule.</summary>
    internal static GemmPath ChoosePath(GemmKernel kernel, in GemmArguments args, int maxThreads, GemmPath? passOver = null) =>
        GemmPlan.ChoosePath(kernel, args.M, args.N, args.K, args.TransposeA, args.TransposeB, args.Beta, maxThreads, SpecialPathsRun(kernel), passOver);

    /// <summary>Runs a checked, nonempty product by <paramref name="path"/>, one <see cref="ChoosePath"/> gave for it.</summary>
    internal static void RunPath(GemmPath path, GemmKernel kernel, in GemmArguments args, int maxThreads)
    {
        switch (path)
        {
            case GemmPath.Reference:
                GemmReference.Multiply(args);
                break;
            case GemmPath.Blocked6x2 when kernel == GemmKernel.Scalar:
                GemmDriver<Kernel6x2<ScalarSimd, float>>.Multiply(args, maxThreads);
                break;
            case GemmPath.Blocked6x2 when kernel == GemmKernel.Vector128:
                GemmDriver<Kernel6x2<Vector128Simd, Vector128<float>>>.Multiply(args, maxThreads);
                break;
            case GemmPath.Blocked6x2:
                GemmDriver<Kernel6x2<Vector256Simd, Vector256<float>>>.Multiply(args, maxThreads);
                break;
            case GemmPath.Thin when kernel == GemmKernel.Vector256:
                ThinGemm256.Multiply(args, maxThreads);
                break;
            case GemmPath.Thin:
                ThinGemm.Multiply(args, maxThreads);
                break;
            case GemmPath.Narrow when kernel == GemmKernel.Vector256:
                NarrowGemm256.Multiply(args, maxThreads);
                break;
            case GemmPath.Narrow:
                NarrowGemm.Multiply(args, maxThreads);
                break;
            case GemmPath.DotProduct:
                DotProductGemm.Multiply(args, maxThreads);
                break;
            case GemmPath.Transposed:
                TransposedGemm.Multiply(kernel, args, maxThreads);
                break;
            case GemmPath.Blocked16x1:
                GemmDriver<Kernel16x1<Vector512Simd, Vector512<float>>>.Multiply(args, maxThreads);
                break;
            case GemmPath.Blocked8x2:
                GemmDriver<Kernel8x2<Vector512Simd, Vector512<float>>>.Multiply(args, maxThreads);
                break;
            default:
                GemmDriver<Kernel12x2<Vector512Simd, Vector512<float>>>.Multiply(args, maxThreads);
                break;
        }
    }

    /// <summary>Whether a variant's special (narrow, thin, dot-product) paths run natively here: they need its instructions accelerated.</summary>
    private static bool SpecialPathsRun(GemmKernel kernel) => kernel switch
    {
        GemmKernel.Vector512 => Vector512Simd.IsSupported,
        GemmKernel.Vector256 => Vector256Simd.IsSupported,
        _ => false,
    };

    /// <summary>C = beta * C, without reading C when beta = 0.</summary>
    private static void Scale(Span<float> c, float beta)
    {
        if (beta == 0f)
        {
            c.Clear();
            return;
        }

        if (beta != 1f)
        {
            for (int i = 0; i < c.Length; i++)
            {
                c[i] *= beta;
            }
        }
    }

    /// <summary>Throws unless a span of <paramref name="length"/> holds a rows x columns matrix; the message is built only then.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckLength(
        int length, int rows, int columns, bool transposed, string argument, string matrix, string rowName, string columnName)
    {
        if (length < (long)rows * columns)
        {
            ThrowTooShort(length, rows, columns, transposed, argument, matrix, rowName, columnName);
        }
    }

    [DoesNotReturn]
    private static void ThrowTooShort(
        int length, int rows, int columns, bool transposed, string argument, string matrix, string rowName, string columnName)
    {
        string stored = transposed ? $"stored [{columnName}, {rowName}] = [{columns}, {rows}]" : $"[{rowName}, {columnName}] = [{rows}, {columns}]";
        throw new ArgumentException(
            $"{argument} has {length} elements, but {matrix} {stored} needs {(long)rows * columns}.", argument);
    }

    /// <summary>The variant named by <paramref name="forced"/> (the environment variable's value), or the widest supported one when it is empty.</summary>
    internal static GemmKernel ParseKernel(string? forced)
    {
        if (!string.IsNullOrWhiteSpace(forced))
        {
            string name = forced.Trim();
            if (!Enum.TryParse(name, ignoreCase: true, out GemmKernel kernel) || !Enum.IsDefined(kernel) || char.IsDigit(name[0]))
            {
                throw new InvalidOperationException(
                    $"{KernelVariable} is '{forced}'; use one of: {string.Join(", ", Enum.GetNames<GemmKernel>()).ToLowerInvariant()}.");
            }

            if (!IsSupported(kernel))
            {
                throw new InvalidOperationException(
                    $"{KernelVariable} asks for {kernel}, which this processor does not support.");
            }

            return kernel;
        }

        if (Vector512Simd.IsSupported)
        {
            return GemmKernel.Vector512;
        }

        if (Vector256Simd.IsSupported)
        {
            return GemmKernel.Vector256;
        }

        return Vector128Simd.IsSupported ? GemmKernel.Vector128 : GemmKernel.Scalar;
    }
}
