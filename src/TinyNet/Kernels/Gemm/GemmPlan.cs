namespace TinyNet.Kernels;

/// <summary>
/// What every GEMM path shares whatever its kernel: the k blocks each element of C is summed in,
/// and when a product is worth threads. The blocked driver (<see cref="GemmDriver{TKernel}"/>)
/// and the thin, narrow, dot-product and transposed paths all read them here.
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
}
