using System.Runtime.InteropServices;

namespace TinyNet.Benchmarks.Kernels;

/// <summary>
/// OpenBLAS's cblas_sgemm, called directly, as the baseline native library. It is found at run
/// time (Debian's libopenblas0-pthread); where it is missing, <see cref="IsAvailable"/> is false
/// and the benchmarks that need it are left out with a message.
/// </summary>
public static unsafe partial class OpenBlas
{
    private const string LibraryName = "openblas";
    private const int RowMajor = 101;
    private const int NoTranspose = 111;
    private const int Transpose = 112;

    private static readonly string[] s_candidates =
    [
        "libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
        "libopenblas.dylib",
        "libopenblas.dll",
    ];

    private static readonly Lazy<nint> s_handle = new(Load);

    /// <summary>True when an OpenBLAS library was found and loaded.</summary>
    public static bool IsAvailable => s_handle.Value != 0;

    /// <summary>The CPU kernel OpenBLAS chose (its OPENBLAS_CORETYPE), e.g. SkylakeX or Haswell.</summary>
    public static string CoreName => IsAvailable ? Marshal.PtrToStringUTF8((nint)openblas_get_corename()) ?? "?" : "missing";

    /// <summary>Sets OpenBLAS's thread count.</summary>
    public static void SetThreads(int threads)
    {
        EnsureLoaded();
        openblas_set_num_threads(threads);
    }

    /// <summary>C = alpha * op(A) * op(B) + beta * C, row-major, like TinyNet's Gemm.Multiply.</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, GemmShape shape, float alpha = 1f, float beta = 0f)
    {
        EnsureLoaded();
        int lda = shape.TransposeA ? shape.M : shape.K;
        int ldb = shape.TransposeB ? shape.K : shape.N;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            cblas_sgemm(
                RowMajor, shape.TransposeA ? Transpose : NoTranspose, shape.TransposeB ? Transpose : NoTranspose,
                shape.M, shape.N, shape.K, alpha, pa, lda, pb, ldb, beta, pc, shape.N);
        }
    }

    /// <summary>Loads the library (and registers the resolver) before the first call into it.</summary>
    private static void EnsureLoaded()
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException("OpenBLAS was not found: install Debian's libopenblas0-pthread.");
        }
    }

    private static nint Load()
    {
        foreach (string candidate in s_candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out nint handle))
            {
                NativeLibrary.SetDllImportResolver(
                    typeof(OpenBlas).Assembly,
                    (name, _, _) => name == LibraryName ? handle : 0);
                return handle;
            }
        }

        return 0;
    }

    [LibraryImport(LibraryName)]
    private static partial void cblas_sgemm(
        int order, int transA, int transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(LibraryName)]
    private static partial void openblas_set_num_threads(int threads);

    [LibraryImport(LibraryName)]
    private static partial byte* openblas_get_corename();
}
