namespace TinyNet.Kernels;

/// <summary>
/// A GEMM call's tiles (rows or columns of C, each computed alone) cut into contiguous runs, one
/// part each, taken by the pool's threads as they come free: how <see cref="DotProductGemm"/>
/// and <see cref="NarrowGemm"/> spread a product. A subclass holds what its tiles read; one
/// instance per thread is refilled per call, so a call allocates nothing.
/// </summary>
internal abstract class TileRuns : ParallelWork
{
    private int _tiles;
    private int _runs;

    /// <summary>
    /// The fewest floats of A and B together (512 KB) for which a product is split however few
    /// its multiply-adds. These paths read A and B in place, and a product with a side of one to
    /// a few rows makes only as many multiply-adds per float it reads, so its time goes to
    /// reading its long operand, which two cores do at twice the rate (one sample through a
    /// 784-512 layer: 401K multiply-adds, under the blocked path's threshold).
    /// </summary>
    internal const long ParallelOperandFloats = 128 * 1024;

    /// <summary>
    /// The runs to cut <paramref name="tiles"/> tiles into: one for one thread or a product too
    /// small to gain from threads (<see cref="WorthSplitting"/>), else up to
    /// <see cref="GemmPlan.ChunksPerThread"/> per thread, so a thread on a busy core
    /// simply takes fewer.
    /// </summary>
    public static int Count(in GemmArguments args, int tiles, int maxThreads) =>
        maxThreads <= 1 || !WorthSplitting(args.M, args.N, args.K)
            ? 1
            : Math.Min(tiles, GemmPlan.ChunksPerThread * maxThreads);

    /// <summary>
    /// True when an m x n x k product has the blocked path's multiply-adds to split
    /// (<see cref="GemmPlan.HasMultiplyAddsToSplit"/>), or at least
    /// <see cref="ParallelOperandFloats"/> floats of A and B to read.
    /// </summary>
    public static bool WorthSplitting(int m, int n, int k) =>
        GemmPlan.HasMultiplyAddsToSplit(m, n, k) || ((long)m + n) * k >= ParallelOperandFloats;

    /// <summary>
    /// Runs tiles [0, <paramref name="tiles"/>) as <paramref name="runs"/> parts on up to
    /// <paramref name="maxThreads"/> threads, then lets go of the call's operands.
    /// </summary>
    public void RunInParts(int tiles, int runs, int maxThreads)
    {
        _tiles = tiles;
        _runs = runs;
        try
        {
            KernelThreadPool.Run(this, runs, maxThreads);
        }
        finally
        {
            Clear();
        }
    }

    /// <inheritdoc/>
    public sealed override void Execute(int index) =>
        RunTiles((int)((long)_tiles * index / _runs), (int)((long)_tiles * (index + 1) / _runs));

    /// <summary>Computes tiles [firstTile, endTile) of the call.</summary>
    protected abstract void RunTiles(int firstTile, int endTile);

    /// <summary>Drops the call's operands, so the instance keeps nothing alive between calls.</summary>
    protected abstract void Clear();
}
