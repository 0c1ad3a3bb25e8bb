using System.Runtime.CompilerServices;

namespace TinyNet.Kernels;

/// <summary>
/// The row tiles of a thin path (<see cref="ThinGemm"/>, <see cref="ThinGemm256"/>): each tile's
/// rows over k in the blocked path's blocks, on up to as many threads as the product is worth
/// (<see cref="TileRuns"/>).
/// </summary>
/// <typeparam name="TPath">The vector width's tile.</typeparam>
internal static class ThinTiles<TPath>
    where TPath : struct, IThinPath
{
    [ThreadStatic]
    private static Job? t_job;

    /// <summary>Runs the whole product on up to <paramref name="maxThreads"/> threads.</summary>
    public static void Multiply(in GemmArguments args, int maxThreads)
    {
        int tiles = (args.M + TPath.TileRows - 1) / TPath.TileRows;
        int runs = TileRuns.Count(args, tiles, maxThreads);
        if (runs <= 1)
        {
            Run(args, 0, tiles);
            return;
        }

        Job job = t_job ??= new Job();
        job.Set(args);
        job.RunInParts(tiles, runs, maxThreads);
    }

    /// <summary>Computes row tiles [firstTile, endTile).</summary>
    private static void Run(in GemmArguments args, int firstTile, int endTile)
    {
        switch (args.N)
        {
            case 1:
                Run<ThinShapes.One>(args, firstTile, endTile);
                break;
            case 2:
                Run<ThinShapes.Two>(args, firstTile, endTile);
                break;
            default:
                Run<ThinShapes.Three>(args, firstTile, endTile);
                break;
        }
    }

    /// <summary>
    /// Computes row tiles [firstTile, endTile) of a C <typeparamref name="TColumns"/> wide.
    /// Never inlined: inlined into its caller's tiered code, it left the JIT too little of its
    /// inlining budget for the writes, which became calls passing vectors through memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Run<TColumns>(in GemmArguments args, int firstTile, int endTile)
        where TColumns : struct, ThinShapes.IColumns
    {
        int tileRows = TPath.TileRows;
        for (int tile = firstTile; tile < endTile; tile++)
        {
            int row = tile * tileRows;
            int rows = Math.Min(tileRows, args.M - row);

            // k in the blocked path's blocks, each summed alone and added to C (the first with
            // beta, later ones with 1), so that the sums round as theirs do.
            for (int pc = 0; pc < args.K; pc += GemmPlan.DepthBlock)
            {
                int kc = Math.Min(GemmPlan.DepthBlock, args.K - pc);
                float beta = pc == 0 ? args.Beta : 1f;
                if (rows == tileRows)
                {
                    TPath.Tile<TColumns, ThinShapes.WholeTile>(args, row, rows, pc, kc, beta);
                }
                else
                {
                    TPath.Tile<TColumns, ThinShapes.EdgeTile>(args, row, rows, pc, kc, beta);
                }
            }
        }
    }

    /// <summary>The runs of tiles of one parallel call.</summary>
    private sealed class Job : TileRuns
    {
        private GemmArguments _args;

        public void Set(in GemmArguments args) => _args = args;

        protected override void RunTiles(int firstTile, int endTile) => Run(_args, firstTile, endTile);

        protected override void Clear() => _args = default;
    }
}
