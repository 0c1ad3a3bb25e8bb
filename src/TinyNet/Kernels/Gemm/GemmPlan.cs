using System.Runtime.Intrinsics;

namespace TinyNet.Kernels;

/// <summary>
/// The one place that decides how a product runs (<see cref="ChoosePath"/>), and what every
/// GEMM path shares whatever its kernel: the k blocks each element of C is summed in, and when
/// a product is worth threads. The blocked driver (<see cref="GemmDriver{TKernel}"/>) and the
/// thin, narrow, dot-product and transposed paths all read them here.
/// </summary>
internal static class GemmPlan
{
    /// <summary>
    /// The k blocks every element of C is summed in, each block's sum added to C in turn, so
    /// that every variant gives the same bits. It is kc, the depth of a packed block, for the
    /// 512-bit kernels, which stream B and keep A's micro-panel in L1; the narrower kernels pack
    /// blocks twice as deep and still sum them in these halves. <see cref="ThinGemm"/> and
    /// <see cref="ThinGemm256"/> sum in the same blocks.
    /// </summary>
    internal const int DepthBlock = 256;

    /// <summary>
    /// How many parts per thread a split product aims for (chunks of columns on the blocked
    /// path, runs of tiles on the others), down to one tile each, so a thread on a busy core can
    /// take fewer.
    /// </summary>
    internal const int ChunksPerThread = 8;

    /// <summary>Products smaller than this many multiply-adds run on one thread.</summary>
    internal const long ParallelThreshold = 96 * 96 * 96;

    /// <summary>
    /// True when an m x n x k product has <see cref="ParallelThreshold"/> multiply-adds or more:
    /// the one rule by which every path decides that a product's arithmetic is worth threads.
    /// </summary>
    internal static bool HasMultiplyAddsToSplit(int m, int n, int k) => (long)m * n * k >= ParallelThreshold;

    /// <summary>
    /// The blocking of the blocked path for a micro-kernel of <paramref name="tileRows"/> x
    /// <paramref name="tileColumns"/> on vectors of <paramref name="width"/> floats (see
    /// <see cref="BlockingOf"/> for a path's).
    /// </summary>
    /// <remarks>
    /// With 512-bit kernels (cores with 1-2 MB of L2) B's micro-panels stream from L2 past A's
    /// micro-panel in L1, and a kc x nc block of B is 512 KB, to stay in L2 beside the rows of C
    /// being written; narrower kernels keep BLIS's classic order, where the block of B lives in
    /// L3, and pack k twice as deep, since every block is one more pass over C (a tile still sums
    /// each <see cref="DepthBlock"/> steps on its own, so every variant gives the same bits).
    /// mc is 20 tiles of rows. docs/gemm.md gives the figures.
    /// </remarks>
    internal static GemmBlocking Blocking(int tileRows, int tileColumns, int width)
    {
        bool streamsB = width >= Vector512<float>.Count;
        return new GemmBlocking(
            tileRows,
            tileColumns,
            RowBlock: 20 * tileRows,
            ColumnBlock: (streamsB ? 512 : 4096) / tileColumns * tileColumns,
            DepthBlock: streamsB ? DepthBlock : 2 * DepthBlock,
            StreamsB: streamsB);
    }

    /// <summary>
    /// The blocking <paramref name="path"/> runs with on <paramref name="kernel"/>'s vectors, or
    /// null for the paths that are not blocked (their tiles are fixed and nothing is packed in
    /// blocks): with <see cref="ChoosePath"/>, the whole plan of a product.
    /// </summary>
    internal static GemmBlocking? BlockingOf(GemmPath path, GemmKernel kernel)
    {
        int rows = path switch
        {
            GemmPath.Blocked6x2 => 6,
            GemmPath.Blocked8x2 => 8,
            GemmPath.Blocked12x2 => 12,
            GemmPath.Blocked16x1 => 16,
            _ => 0,
        };
        if (rows == 0)
        {
            return null;
        }

        int width = kernel switch
        {
            GemmKernel.Scalar => 1,
            GemmKernel.Vector128 => Vector128<float>.Count,
            GemmKernel.Vector256 => Vector256<float>.Count,
            GemmKernel.Vector512 => Vector512<float>.Count,
            _ => throw new ArgumentOutOfRangeException(nameof(kernel), kernel, $"The {kernel} variant runs no blocked path."),
        };
        return Blocking(rows, path == GemmPath.Blocked16x1 ? width : 2 * width, width);
    }

    /// <summary>
    /// The path a checked, nonempty product (k and alpha nonzero) takes on a variant: a pure
    /// function of the shape, the flags, beta, the variant, the threads and whether the
    /// variant's special paths run natively (<paramref name="specialPaths"/>; they do wherever
    /// the variant's instructions are accelerated). The order of the rules is the order in
    /// which they are tried; docs/gemm.md gives the table. <paramref name="passOver"/> names a
    /// rule to skip: the path that runs then is the one a path is measured against (the
    /// benchmarks' <c>--paths</c> mode).
    /// </summary>
    internal static GemmPath ChoosePath(
        GemmKernel kernel, int m, int n, int k, bool transposeA, bool transposeB, float beta, int maxThreads, bool specialPaths, GemmPath? passOver = null)
    {
        bool Takes(GemmPath path, bool condition) => path != passOver && condition;

        switch (kernel)
        {
            case GemmKernel.Reference:
                return GemmPath.Reference;
            case GemmKernel.Scalar or GemmKernel.Vector128:
                return GemmPath.Blocked6x2;
            case GemmKernel.Vector256:
                return Takes(GemmPath.Thin, specialPaths && ThinGemm.Suits(n, transposeA)) ? GemmPath.Thin
                    : Takes(GemmPath.Narrow, specialPaths && NarrowGemm256.Suits(m, n, k, transposeA, transposeB)) ? GemmPath.Narrow
                    : Takes(GemmPath.Transposed, TransposedGemm.Suits(m, n, k, transposeA, transposeB, beta, maxThreads)) ? GemmPath.Transposed
                    : GemmPath.Blocked6x2;
            case GemmKernel.Vector512:
                return Takes(GemmPath.Narrow, specialPaths && NarrowGemm.Suits(m, n, k, transposeA, transposeB)) ? GemmPath.Narrow
                    : Takes(GemmPath.DotProduct, specialPaths && DotProductsSuit(m, n, k, transposeA, transposeB, beta, maxThreads)) ? GemmPath.DotProduct
                    : Takes(GemmPath.Thin, specialPaths && ThinGemm.Suits(n, transposeA)) ? GemmPath.Thin
                    : Takes(GemmPath.Blocked16x1, OneTileOfColumnsSuits(m, n)) ? GemmPath.Blocked16x1
                    : Takes(GemmPath.Transposed, TransposedGemm.Suits(m, n, k, transposeA, transposeB, beta, maxThreads)) ? GemmPath.Transposed
                    : Takes(GemmPath.Blocked12x2, TwelveRowTilesSuit(m, k)) ? GemmPath.Blocked12x2
                    : GemmPath.Blocked8x2;
            default:
                throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "Unknown GEMM variant.");
        }
    }

    /// <summary>
    /// The dot-product path takes the short or very narrow A * Bᵀ it suits
    /// (<see cref="DotProductGemm.Suits"/>) when its sums are at least one vector deep, and
    /// leaves to the transposed path the products of 4 rows or more that one suits, whose
    /// swapped product is then narrow.
    /// </summary>
    private static bool DotProductsSuit(int m, int n, int k, bool transposeA, bool transposeB, float beta, int maxThreads) =>
        DotProductGemm.Suits(m, n, transposeA, transposeB)
        && k >= Vector512<float>.Count
        && !(m >= NarrowGemm.MinColumns && TransposedGemm.Suits(m, n, k, transposeA, transposeB, beta, maxThreads));

    /// <summary>The 16-column single-tile path (<see cref="GemmPath.Blocked16x1"/>) takes C with at most one vector of columns from two 8-row tiles on.</summary>
    private static bool OneTileOfColumnsSuits(int m, int n) => n <= Vector512<float>.Count && m >= 16;

    /// <summary>
    /// True when 12-row tiles pad fewer rows of m than 8-row tiles do (m = 10, 12, 20, 36, ...)
    /// and the sums are at least one vector deep; elsewhere the 8-row kernel is faster although
    /// the 12-row one loads B once per 24 multiply-adds instead of 16. Both sum in the same
    /// order, so the choice never changes a result.
    /// </summary>
    private static bool TwelveRowTilesSuit(int m, int k) =>
        k >= Vector512<float>.Count && ((m + 11) / 12 * 12) - m < ((m + 7) / 8 * 8) - m;
}
