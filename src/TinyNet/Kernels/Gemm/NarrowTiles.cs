using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace TinyNet.Kernels;

/// <summary>
/// The row tiles of a narrow path (<see cref="NarrowGemm"/>, <see cref="NarrowGemm256"/>) over B
/// packed in pairs of columns: each tile's rows in one pass of up to
/// <see cref="NarrowPairs.MaxPerPass"/> pairs, or two of about half each, on up to as many
/// threads as the product is worth (<see cref="TileRuns"/>).
/// </summary>
/// <typeparam name="TPath">The vector width's tile.</typeparam>
internal static unsafe class NarrowTiles<TPath>
    where TPath : struct, INarrowPath
{
    /// <summary>Floats of the buffer a tile's edges are written through.</summary>
    public const int ScratchFloats = 16;

    [ThreadStatic]
    private static Job? t_job;

    /// <summary>Packs B once, then runs every row tile of C on up to <paramref name="maxThreads"/> threads.</summary>
    public static void Multiply(in GemmArguments args, int maxThreads)
    {
        int pairs = Ceiling(args.N, 2);
        int steps = Ceiling(args.K, TPath.Width / 2);
        float* packedB = GemmWorkspace.Current.SharedB(steps * pairs * TPath.Width);
        TPath.PackB(args, pairs, steps, packedB);

        int tiles = Ceiling(args.M, TPath.TileRows);
        int runs = TileRuns.Count(args, tiles, maxThreads);
        if (runs <= 1)
        {
            RunTiles(args, packedB, 0, tiles);
            return;
        }

        Job job = t_job ??= new Job();
        job.Set(args, packedB);
        job.RunInParts(tiles, runs, maxThreads);
    }

    /// <summary>
    /// Computes row tiles [firstTile, endTile). The last tile of C ends at row m (m is at least
    /// a tile's rows) and writes only the rows no earlier tile wrote.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunTiles(in GemmArguments args, float* packedB, int firstTile, int endTile)
    {
        float* scratch = stackalloc float[ScratchFloats];
        int tileRows = TPath.TileRows;
        int width = TPath.Width;
        int pairs = Ceiling(args.N, 2);

        // Up to 5 pairs in one pass; 6 to 8 in two passes of about half each.
        int firstPass = pairs <= NarrowPairs.MaxPerPass ? pairs : Ceiling(pairs, 2);
        nint packedStride = pairs * width;
        for (int tile = firstTile; tile < endTile; tile++)
        {
            int firstRow = Math.Min(tile * tileRows, args.M - tileRows);
            int skipRows = (tile * tileRows) - firstRow;
            float* rows = args.A + (firstRow * args.RowStrideA);
            float* c = args.C + (firstRow * args.Ldc);
            for (int pair = 0; pair < pairs; pair += firstPass)
            {
                var pass = new NarrowPass(
                    rows, args.RowStrideA, args.K, packedB + (pair * width), packedStride,
                    c + (2 * pair), args.Ldc, Math.Min(2 * firstPass, args.N - (2 * pair)), skipRows, args.Alpha, args.Beta);
                switch (Math.Min(firstPass, pairs - pair))
                {
                    case 1:
                        TPath.Tile<NarrowPairs.One>(pass, scratch);
                        break;
                    case 2:
                        TPath.Tile<NarrowPairs.Two>(pass, scratch);
                        break;
                    case 3:
                        TPath.Tile<NarrowPairs.Three>(pass, scratch);
                        break;
                    case 4:
                        TPath.Tile<NarrowPairs.Four>(pass, scratch);
                        break;
                    case 5:
                        TPath.Tile<NarrowPairs.Five>(pass, scratch);
                        break;
                    default:
                        throw new UnreachableException($"A pass of {Math.Min(firstPass, pairs - pair)} pairs: the narrow paths take n below 16, so a pass has 1 to 5.");
                }
            }
        }
    }

    private static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;

    /// <summary>The runs of row tiles of one parallel call, over B packed once by the caller.</summary>
    private sealed class Job : TileRuns
    {
        private GemmArguments _args;
        private float* _packedB;

        public void Set(in GemmArguments args, float* packedB)
        {
            _args = args;
            _packedB = packedB;
        }

        protected override void RunTiles(int firstTile, int endTile) => NarrowTiles<TPath>.RunTiles(_args, _packedB, firstTile, endTile);

        protected override void Clear()
        {
            _args = default;
            _packedB = null;
        }
    }
}
