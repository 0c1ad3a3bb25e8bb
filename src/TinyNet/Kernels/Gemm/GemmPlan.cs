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
    /// take fewer: 8 ran 4-8% faster than 4 on the MLP's forward and dX products at two threads
    /// (interleaved, 31 rounds).
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
    /// The path a checked, nonempty product (k and alpha nonzero) takes on a variant: a pure
    /// function of the shape, the flags, beta, the variant, the threads and whether the
    /// variant's special paths run natively (<paramref name="specialPaths"/>; they do wherever
    /// the variant's instructions are accelerated). The order of the rules is the order in
    /// which they are tried; docs/gemm.md gives the table.
    /// </summary>
    internal static GemmPath ChoosePath(GemmKernel kernel, int m, int n, int k, bool transposeA, bool transposeB, float beta, int maxThreads, bool specialPaths)
    {
        switch (kernel)
        {
            case GemmKernel.Reference:
                return GemmPath.Reference;
            case GemmKernel.Scalar or GemmKernel.Vector128:
                return GemmPath.Blocked6x2;
            case GemmKernel.Vector256:
                return specialPaths && ThinGemm.Suits(n, transposeA) ? GemmPath.Thin
                    : specialPaths && NarrowGemm256.Suits(m, n, k, transposeA, transposeB) ? GemmPath.Narrow
                    : TransposedGemm.Suits(m, n, k, transposeA, transposeB, beta, maxThreads) ? GemmPath.Transposed
                    : GemmPath.Blocked6x2;
            case GemmKernel.Vector512:
                return specialPaths && NarrowGemm.Suits(m, n, k, transposeA, transposeB) ? GemmPath.Narrow
                    : specialPaths && DotProductGemm.Suits(m, n, transposeA, transposeB) ? GemmPath.DotProduct
                    : specialPaths && ThinGemm.Suits(n, transposeA) ? GemmPath.Thin
                    : n <= Vector512<float>.Count ? GemmPath.Blocked16x1
                    : TransposedGemm.Suits(m, n, k, transposeA, transposeB, beta, maxThreads) ? GemmPath.Transposed
                    : FitsEightRowTiles(m) ? GemmPath.Blocked8x2
                    : GemmPath.Blocked12x2;
            default:
                throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "Unknown GEMM variant.");
        }
    }

    /// <summary>
    /// True when 12-row tiles would waste over 2% more of m than 8-row tiles do (m = 32, 64,
    /// 128, 256, ...). Otherwise the 12-row kernel wins: it loads B once per 24 multiply-adds
    /// instead of 16, which counts when B streams from L2 (interleaved, one thread, against
    /// 8-row tiles: +5% at n = 2048 and +2% at m = 784). Both kernels sum in the same order, so
    /// the choice never changes a result.
    /// </summary>
    private static bool FitsEightRowTiles(int m)
    {
        int wasteOfEights = ((m + 7) / 8 * 8) - m;
        int wasteOfTwelves = ((m + 11) / 12 * 12) - m;
        return (wasteOfTwelves - wasteOfEights) * 50 > m;
    }
}
