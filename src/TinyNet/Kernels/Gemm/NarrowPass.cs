namespace TinyNet.Kernels;

/// <summary>
/// What one pass of a narrow path's tile reads and where it writes (<see cref="NarrowGemm"/>,
/// <see cref="NarrowGemm256"/>): the tile's rows of A against some pairs of B's packed columns.
/// </summary>
internal readonly unsafe struct NarrowPass(
    float* rows, nint rowStride, int k, float* packed, nint packedStride, float* c, nint ldc, int columns, int skipRows, float alpha, float beta)
{
    /// <summary>The tile's first row of A.</summary>
    public float* Rows { get; } = rows;

    /// <summary>The distance between rows of A.</summary>
    public nint RowStride { get; } = rowStride;

    /// <summary>The depth of the product.</summary>
    public int K { get; } = k;

    /// <summary>The pass's first pair of columns in packed B, at step 0.</summary>
    public float* Packed { get; } = packed;

    /// <summary>Floats from one step of packed B to the next: all pairs' vectors.</summary>
    public nint PackedStride { get; } = packedStride;

    /// <summary>C at the tile's first row and the pass's first column.</summary>
    public float* C { get; } = c;

    /// <summary>The distance between rows of C.</summary>
    public nint Ldc { get; } = ldc;

    /// <summary>The columns of C the pass writes (one less than twice its pairs when the last column is missing).</summary>
    public int Columns { get; } = columns;

    /// <summary>The tile's first rows, which an earlier tile wrote.</summary>
    public int SkipRows { get; } = skipRows;

    /// <summary>The scale of the product.</summary>
    public float Alpha { get; } = alpha;

    /// <summary>The scale of C's old value; 0 means C is not read.</summary>
    public float Beta { get; } = beta;
}
