using BlockedGemm = TinyNet.Kernels.GemmDriver<TinyNet.Kernels.Kernel12x2<TinyNet.Kernels.Vector512Simd, System.Runtime.Intrinsics.Vector512<float>>>;

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
    /// The runs to cut <paramref name="tiles"/> tiles into, by the blocked path's rules: one for
    /// a product too small to gain from threads (or one thread), else up to
    /// <see cref="GemmDriver{TKernel}.ChunksPerThread"/> per thread, so a thread on a busy core
    /// simply takes fewer.
    /// </summary>
    public static int Count(in GemmArguments args, int tiles, int maxThreads) =>
        maxThreads <= 1 || (long)args.M * args.N * args.K < BlockedGemm.ParallelThreshold
            ? 1
            : Math.Min(tiles, BlockedGemm.ChunksPerThread * maxThreads);

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
