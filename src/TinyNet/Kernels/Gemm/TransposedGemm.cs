using System.Diagnostics;

namespace TinyNet.Kernels;

/// <summary>
/// C = alpha * A * Bᵀ + beta * C on the AVX-512 and AVX2 variants for a B large beside A and C,
/// computed as its transpose: Cᵀ = B * Aᵀ into a buffer, then transposed into C. Such is the
/// forward pass of Linear, X * Wᵀ with X [batch, in] and W [out, in]: the blocked path packs B's
/// micro-panels by transposing it, all of the weight on every call (a tenth of the time at
/// 128x784 * 784x512), where the transposed product reads the weight's rows in place as its A
/// and packs the batch instead.
/// </summary>
/// <remarks>
/// Element (i, j) of C is element (j, i) of Cᵀ: the same products with A's and B's factors
/// swapped, summed over k in the same order and written by the same rule (with beta, Cᵀ starts
/// as the transpose of C). With 16 rows or more the swapped product, with as many columns, runs
/// on the blocked path as well, so the results are bitwise the blocked path's; with fewer it
/// takes the variant's narrow path (<see cref="NarrowGemm"/>, <see cref="NarrowGemm256"/>),
/// which sums in its own order. On any path the threads never split k, so the result is the
/// same for any thread count.
/// </remarks>
internal static unsafe class TransposedGemm
{
    /// <summary>
    /// The largest C, in floats, computed aside: 4 MB, the most the buffer takes on a thread
    /// that calls GEMM.
    /// </summary>
    internal const int MaxOutput = 1 << 20;

    /// <summary>The smallest B, in floats, worth the detour (64 KB): below it the detour's fixed costs count.</summary>
    internal const int MinPackingSaved = 1 << 14;

    /// <summary>Steps of the transposes' depth per part: two blocks of <see cref="GemmPacking.Transpose"/>'s 8.</summary>
    private const int StepsPerTile = 16;

    [ThreadStatic]
    private static Job? t_job;

    /// <summary>
    /// True for A * Bᵀ with a B of <see cref="MinPackingSaved"/> floats or more, when packing it
    /// (n x k floats, transposed) costs at least 1.25 times the
    /// transposed product's extra copies: packing A (m x k, transposed) and C's transposes
    /// (m x n floats back, and in too when beta is not 0). A product large enough to be split
    /// over threads (<see cref="GemmPlan.HasMultiplyAddsToSplit"/>) on
    /// <paramref name="maxThreads"/> has its copies counted once per thread: the blocked path
    /// spreads its packing of B over the threads, where every thread of the swapped product
    /// packs the whole of A for itself and C's transposes add two fork-joins. The swapped product
    /// never suits in turn: its B is the smaller A.
    /// </summary>
    /// <param name="m">The rows of C.</param>
    /// <param name="n">The columns of C, the rows of the stored B.</param>
    /// <param name="k">The depth.</param>
    /// <param name="transposeA">Whether A is stored transposed (never suits).</param>
    /// <param name="transposeB">Whether B is stored transposed (must be).</param>
    /// <param name="beta">The scale of C's old value: when not 0, C is transposed in too.</param>
    /// <param name="maxThreads">The threads the call may use.</param>
    public static bool Suits(int m, int n, int k, bool transposeA, bool transposeB, float beta, int maxThreads)
    {
        if (transposeA || !transposeB || (long)m * n > MaxOutput)
        {
            return false;
        }

        long threads = GemmPlan.HasMultiplyAddsToSplit(m, n, k) ? Math.Max(1, maxThreads) : 1;
        long packingSaved = (long)n * k;
        long copiesAdded = ((long)m * k) + ((beta == 0f ? 1 : 2) * (long)m * n);
        return packingSaved >= MinPackingSaved && 4 * packingSaved >= 5 * threads * copiesAdded;
    }

    /// <summary>
    /// Runs the whole product, on up to <paramref name="maxThreads"/> threads, the swapped
    /// product on <paramref name="kernel"/>'s paths.
    /// </summary>
    public static void Multiply(GemmKernel kernel, in GemmArguments args, int maxThreads)
    {
        int m = args.M;
        int n = args.N;
        float* transposedC = GemmWorkspace.Current.TransposedC(m * n);
        if (args.Beta != 0f)
        {
            // C's m rows become Cᵀ's columns; the parts split C's columns, Cᵀ's rows.
            Transpose(args, args.C, n, m, n, transposedC, m, maxThreads);
        }

        var swapped = new GemmArguments(args.B, false, args.A, true, transposedC, n, m, args.K, args.Alpha, args.Beta);
        Debug.Assert(!Suits(n, m, args.K, false, true, args.Beta, maxThreads), "The swapped product must not be swapped back.");
        Gemm.Run(kernel, swapped, maxThreads);

        // Cᵀ's n rows become C's columns; the parts split C's rows.
        Transpose(args, transposedC, m, n, m, args.C, n, maxThreads);
    }

    /// <summary>
    /// destination[p * destinationStride + x] = source[x * lineStride + p] for x below
    /// <paramref name="lines"/> and p below <paramref name="depth"/>, split over the depth, so
    /// that each part writes whole rows of the destination; on one thread when the product is
    /// too small to be split (<see cref="TileRuns.Count"/>).
    /// </summary>
    private static void Transpose(
        in GemmArguments args, float* source, nint lineStride, int lines, int depth, float* destination, int destinationStride, int maxThreads)
    {
        int tiles = (depth + StepsPerTile - 1) / StepsPerTile;
        int runs = TileRuns.Count(args, tiles, maxThreads);
        if (runs <= 1)
        {
            GemmPacking.Transpose(source, lineStride, lines, depth, destination, destinationStride);
            return;
        }

        Job job = t_job ??= new Job();
        job.Set(source, lineStride, lines, depth, destination, destinationStride);
        job.RunInParts(tiles, runs, maxThreads);
    }

    /// <summary>The parts of one transpose: runs of <see cref="StepsPerTile"/> steps of its depth.</summary>
    private sealed class Job : TileRuns
    {
        private float* _source;
        private nint _lineStride;
        private int _lines;
        private int _depth;
        private float* _destination;
        private int _destinationStride;

        public void Set(float* source, nint lineStride, int lines, int depth, float* destination, int destinationStride)
        {
            _source = source;
            _lineStride = lineStride;
            _lines = lines;
            _depth = depth;
            _destination = destination;
            _destinationStride = destinationStride;
        }

        protected override void RunTiles(int firstTile, int endTile)
        {
            int start = firstTile * StepsPerTile;
            int end = Math.Min(endTile * StepsPerTile, _depth);
            GemmPacking.Transpose(
                _source + start, _lineStride, _lines, end - start, _destination + ((nint)start * _destinationStride), _destinationStride);
        }

        protected override void Clear()
        {
            _source = null;
            _destination = null;
        }
    }
}
