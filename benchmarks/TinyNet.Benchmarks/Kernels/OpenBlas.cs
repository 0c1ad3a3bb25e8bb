using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>OpenBLAS's core types that run AVX-512 instructions.</summary>
    private static readonly string[] s_avx512Cores = ["SkylakeX", "CooperLake", "SapphireRapids"];

    private static readonly Lazy<nint> s_handle = new(Load);

    /// <summary>True when an OpenBLAS library was found and loaded.</summary>
    public static bool IsAvailable => s_handle.Value != 0;

    /// <summary>
    /// Why OpenBLAS is left out, when <see cref="IsAvailable"/> is false: the library is missing,
    /// or OPENBLAS_CORETYPE asks for an AVX-512 kernel on a CPU without AVX-512, which OpenBLAS
    /// would load and then die on with an illegal instruction at its first call.
    /// </summary>
    public static string UnavailableReason => RequestedCoreNeedsMissingAvx512() is { } core
        ? $"OPENBLAS_CORETYPE={core} asks for AVX-512, which this CPU lacks (OpenBLAS would stop on an illegal instruction): unset it, or name a core this CPU runs (Haswell, Zen)"
        : "not found (install Debian's libopenblas0-pthread)";

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
            throw new InvalidOperationException($"OpenBLAS: {UnavailableReason}.");
        }
    }

    private static nint Load()
    {
        if (RequestedCoreNeedsMissingAvx512() is not null)
        {
            return 0;
        }

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

    /// <summary>The core type OPENBLAS_CORETYPE names, when it is an AVX-512 one and this CPU has no AVX-512; else null.</summary>
    private static string? RequestedCoreNeedsMissingAvx512()
    {
        string? core = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE");
        bool needsAvx512 = core is not null && s_avx512Cores.Contains(core.Trim(), StringComparer.OrdinalIgnoreCase);
        return needsAvx512 && !Avx512F.IsSupported ? core : null;
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
