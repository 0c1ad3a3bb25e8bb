
namespace TinyNet.Kernels;

/// <summary>
/// The blocked GEMM of BLIS around one micro-kernel: five loops that cut C, A and B into blocks
/// sized for the caches, pack A and B into micro-panels, and call the micro-kernel on every
/// MR x NR tile. Threads split the m and n loops, never k, so every element of C is summed in
/// the same order whatever the thread count.
/// </summary>
/// <remarks>
/// The micro-kernel loads NR columns of B as vectors and broadcasts MR elements of A, so a
/// micro-panel of B is several times the size of one of A (for the AVX-512 8 x 32 kernel at
/// kc = 256: 32 KB against 8 KB). With 512-bit kernels, whose cores have 1-2 MB of L2, the two
/// innermost loops keep the small A micro-panel in L1 and stream the B micro-panels along a row
/// of tiles from L2, where a 512 KB block of B stays, as OpenBLAS does on AVX-512; keeping B's
/// micro-panel in L1 instead left too little of L1 for the stream of A there (2-7% slower at
/// n = 1024 and 8% at n = 2048 in interleaved runs). Narrower kernels keep the classic BLIS
/// order: loop 2 takes a micro-panel of B and loop 1 runs down its column over a block of A in
/// L2, which fits the 256-512 KB L2 of AVX2 cores, with k blocks twice as deep
/// (<see cref="GemmBlocking.DepthBlock"/>). The order never changes a result: each tile is summed the same way.
/// </remarks>
/// <typeparam name="TKernel">The micro-kernel, which fixes MR and NR.</typeparam>
internal static unsafe partial class GemmDriver<TKernel>
    where TKernel : struct, IMicroKernel
{
    /// <summary>The most times a micro-panel of A or B may be read in place rather than packed.</summary>
    internal const int InPlaceMaxReads = 8;

    /// <summary>
    /// The most bytes the kc rows of a micro-panel of B may span to be read in place up to twice
    /// <see cref="InPlaceMaxReads"/> times: 64 pages of 4 KB, what a first-level data TLB
    /// typically holds, so that rereading the panel stays clear of TLB misses.
    /// </summary>
    internal const long InPlacePanelBytes = 64 * 4096;

    /// <summary>
    /// Rows of a plain A this many bytes apart (or a multiple) share their L1 set, and are
    /// packed (4 KB: 64 sets of 64-byte lines).
    /// </summary>
    internal const int AliasingStride = 4096;

    /// <summary>The fewest column tiles per thread for which the column-chunk path is taken.</summary>
    internal const int MinColumnTilesPerThread = 4;

    /// <summary>
    /// The row tiles in one part of the paths that split rows (<see cref="MultiplyInRowParts"/>,
    /// <see cref="MultiplySharingB"/>, and the packing of A in <see cref="MultiplyInChunks"/>).
    /// Parts this small cost one claim each (A is read in place or packed per part either way)
    /// and even out threads on unequally busy cores: 2 tiles ran 5-15% faster than parts of an
    /// mc block at n = 512, 1024 and 2048 on two threads.
    /// </summary>
    internal const int RowTilesPerPart = 2;

    /// <summary>
    /// The most threads for which <see cref="MultiplyInRowParts"/> has every thread pack its own
    /// copy of each block of B. A thread packs the whole block whatever its share of the rows,
    /// so its packing grows with the thread count; beyond this, threads share one packed copy
    /// (<see cref="MultiplySharingB"/>), as BLIS does. (The limit is BLIS's reasoning, not a measurement beyond two threads.)
    /// </summary>
    internal const int MaxThreadsPackingOwnB = 4;

    /// <summary>
    /// A C of at most this many floats (32 KB, one L1) is not asked for tile by tile before the
    /// micro-kernel: so small a C is in cache already or costs little to miss, and the asking
    /// cost 3-5% at n = 32 and 64 (interleaved, one thread).
    /// </summary>
    internal const int SmallOutput = 8192;

    /// <summary>
    /// The fewest steps of k in a block for which a tile of C is asked for before the
    /// micro-kernel: a whole block of the 512-bit kernels. The asking costs about as much per
    /// tile whatever the depth, and a short k loop has no time to hide it: without it, the output layer's dX
    /// (128x10 * 10x256) ran 1.21x as fast, 128x64 * 64x256 1.04x and the dW products (k = 128)
    /// 1.01-1.02x, where n = 1024 ran 0.96-0.98x (interleaved, one and two threads).
    /// </summary>
    internal const int PrefetchDepth = GemmPlan.DepthBlock;

    /// <summary>This kernel's blocking, from the one place that decides it (<see cref="GemmPlan.Blocking"/>).</summary>
    internal static readonly GemmBlocking Blocking = GemmPlan.Blocking(TKernel.Rows, TKernel.Columns, TKernel.Width);

    // Copied into fields of their own, which the JIT reads as constants in the loops.
    private static readonly bool s_streamsB = Blocking.StreamsB;
    private static readonly int s_columnBlock = Blocking.ColumnBlock;
    private static readonly int s_rowBlock = Blocking.RowBlock;
    private static readonly int s_depthBlock = Blocking.DepthBlock;

    [ThreadStatic]
    private static Job? t_job;

    /// <summary>Runs the whole product, on as many threads as it is worth, up to <paramref name="maxThreads"/>.</summary>
    public static void Multiply(in GemmArguments args, int maxThreads)
    {
        (int gridRows, int gridColumns) = Partition(args.M, args.N, args.K, maxThreads);
        if (gridRows * gridColumns == 1)
        {
            MultiplyBlock(args, 0, args.M, 0, args.N, ReadsAInPlace(args, args.N), sharedA: null);
            return;
        }

        Job job = t_job ??= new Job();
        try
        {
            int columnTiles = Ceiling(args.N, TKernel.Columns);
            long paddedA = (long)Ceiling(args.M, TKernel.Rows) * TKernel.Rows * args.K;
            if (args.M >= maxThreads * s_rowBlock)
            {
                if (maxThreads <= MaxThreadsPackingOwnB)
                {
                    MultiplyInRowParts(job, args, maxThreads);
                }
                else
                {
                    MultiplySharingB(job, args, maxThreads);
                }
            }
            else if (columnTiles >= MinColumnTilesPerThread * maxThreads && paddedA <= Array.MaxLength - 64)
            {
                MultiplyInChunks(job, args, columnTiles, maxThreads);
            }
            else
            {
                job.SetGrid(args, gridRows, gridColumns);
                KernelThreadPool.Run(job, gridRows * gridColumns, maxThreads);
            }
        }
        finally
        {
            job.Clear();
        }
    }

    /// <summary>
    /// True when A is best read in place for a product <paramref name="columns"/> wide. A plain
    /// A is: a micro-panel is MR rows of kc contiguous floats, read first from memory and then
    /// from L1 for the rest of its row of tiles; unless its rows are a multiple of 4 KB apart
    /// (k a multiple of 1024), when all MR of them fall in the same L1 set and crowd out B's
    /// lines: packed, n = 1024 ran 4-10% faster on two threads and about 4% on one, and
    /// n = 2048 4% on two (interleaved, random operands), where n = 1000 ran 4% slower packed.
    /// A transposed A's micro-panel is kc rows of MR floats, half a cache line each, far apart:
    /// packing it pays once it is read more than <see cref="InPlaceMaxReads"/> times (once per
    /// NR columns of C). In the classic order (narrower kernels) a micro-panel of A is read once
    /// per micro-panel of B, from the packed block in L2; read in place, it is MR rows spread over
    /// as many pages each time: a plain A is then packed too once it is read more than
    /// <see cref="InPlaceMaxReads"/> times. On an AMD EPYC (Zen 3, AVX2) packing it ran 1.05-1.08x
    /// as fast at n = 960 and 1000, and 1.10x on the MLP's dX (128x512 * 512x784), where packing
    /// every A cost 20% at n = 32 and 64 and half the speed of the output layer's 128x256 * 256x10
    /// (interleaved, one thread).
    /// </summary>
    private static bool ReadsAInPlace(in GemmArguments args, int columns)
    {
        bool fewReads = Ceiling(columns, TKernel.Columns) <= InPlaceMaxReads;
        return args.ColumnStrideA == 1
            ? (s_streamsB || fewReads) && args.RowStrideA * sizeof(float) % AliasingStride != 0
            : fewReads;
    }

    /// <summary>
    /// True when B is best read in place for <paramref name="rows"/> rows of C: a plain B has
    /// the NR columns of a step of k side by side, but its micro-panel is spread over kc rows
    /// of the matrix and is read once per MR rows of C; beyond a few reads the packed,
    /// contiguous copy is faster (fewer cache lines, no TLB misses). When loop 1 streams B's
    /// panels from L2 anyway, twice as many reads pay if the panel's kc rows lie within
    /// <see cref="InPlacePanelBytes"/>: 128x128 * 128x128 (a 64 KB span) ran 8% faster in place
    /// than packed, while Linear's dX (128x512 * 512x784, an 800 KB span) ran 2-9% faster
    /// packed on one thread and 5% on two, and 128x784 * 784x512 (512 KB) 3-6% (interleaved, on
    /// random operands in tensors; 128x256 * 256x512, also 512 KB, read within 2% either way).
    /// The B of a tall product stays packed, where in place it would thrash L2 sets at
    /// power-of-two strides.
    /// </summary>
    private static bool ReadsBInPlace(in GemmArguments args, int rows)
    {
        if (args.ColumnStrideB != 1)
        {
            return false;
        }

        int reads = Ceiling(rows, TKernel.Rows);
        long panelBytes = (long)Math.Min(args.K, s_depthBlock) * args.RowStrideB * sizeof(float);
        return reads <= InPlaceMaxReads || (s_streamsB && reads <= 2 * InPlaceMaxReads && panelBytes <= InPlacePanelBytes);
    }

    /// <summary>
    /// Chooses how many row and column parts to cut C into: one part for small products, else a
    /// grid of at most <paramref name="maxThreads"/> parts whose largest part is smallest. Parts
    /// are whole MR x NR tiles.
    /// </summary>
    internal static (int RowParts, int ColumnParts) Partition(int m, int n, int k, int maxThreads)
    {
        if (maxThreads <= 1 || !GemmPlan.HasMultiplyAddsToSplit(m, n, k))
        {
            return (1, 1);
        }

        int rowTiles = Ceiling(m, TKernel.Rows);
        int columnTiles = Ceiling(n, TKernel.Columns);
        (int, int) best = (1, 1);
        long bestCost = long.MaxValue;
        for (int threads = maxThreads; threads >= 2; threads--)
        {
            for (int rowParts = 1; rowParts <= threads; rowParts++)
            {
                if (threads % rowParts != 0)
                {
                    continue;
                }

                int columnParts = threads / rowParts;
                if (rowParts > rowTiles || columnParts > columnTiles)
                {
                    continue;
                }

                // The largest part, in tiles, decides when the call ends.
                long cost = (long)Ceiling(rowTiles, rowParts) * Ceiling(columnTiles, columnParts);
                if (cost < bestCost)
                {
                    bestCost = cost;
                    best = (rowParts, columnParts);
                }
            }
        }

        return best;
    }
}
