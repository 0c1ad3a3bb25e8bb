namespace TinyNet.Kernels;

/// <summary>
/// One GEMM call with its operands as strided matrices: element (i, p) of op(A) is at
/// A[i * RowStrideA + p * ColumnStrideA], element (p, j) of op(B) at
/// B[p * RowStrideB + j * ColumnStrideB], and C is row-major with row stride <see cref="Ldc"/>.
/// Transposition is only a swap of strides, so no kernel ever copies a transpose.
/// </summary>
internal readonly unsafe struct GemmArguments
{
    public GemmArguments(
        float* a, bool transposeA, float* b, bool transposeB, float* c, int m, int n, int k, float alpha, float beta)
    {
        A = a;
        B = b;
        C = c;
        M = m;
        N = n;
        K = k;
        Alpha = alpha;
        Beta = beta;
        TransposeA = transposeA;
        TransposeB = transposeB;

        // op(A) is m x k: stored m x k (row stride k), or k x m when transposed (row stride m).
        RowStrideA = transposeA ? 1 : k;
        ColumnStrideA = transposeA ? m : 1;

        // op(B) is k x n: stored k x n (row stride n), or n x k when transposed (row stride k).
        RowStrideB = transposeB ? 1 : n;
        ColumnStrideB = transposeB ? k : 1;
        Ldc = n;
    }

    public float* A { get; }

    /// <summary>A is stored [k, m] (op(A) = Aᵀ).</summary>
    public bool TransposeA { get; }

    /// <summary>B is stored [n, k] (op(B) = Bᵀ).</summary>
    public bool TransposeB { get; }

    public nint RowStrideA { get; }

    public nint ColumnStrideA { get; }

    public float* B { get; }

    public nint RowStrideB { get; }

    public nint ColumnStrideB { get; }

    public float* C { get; }

    public nint Ldc { get; }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    public float Alpha { get; }

    public float Beta { get; }
}
