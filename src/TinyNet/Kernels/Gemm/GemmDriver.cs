
namespace TinyNet.Kernels;

/// <summary>
/// The blocked GEMM of BLIS around one micro-kernel: five loops that cut C, A and B into blocks
/// sized for the caches, pack A and B into micro-panels, and call the micro-kernel on every
/// MR x NR tile. Threads split the m and n loops, never k, so every element of C is summed in
/// the same order whatever the thread count.
/// </summary>
/// <remarks>
/// With 512-bit kernels (cores with 1-2 MB of L2) the two innermost loops keep the small A
/// micro-panel in L1 and stream B's micro-panels from a 512 KB block in L2, as OpenBLAS does;
/// narrower kernels keep BLIS's classic order, B's micro-panel in L1 and a block of A in L2
/// (<see cref="GemmBlocking.StreamsB"/>; docs/gemm.md gives the figures). The order never
/// changes a result: each tile is summed the same way.
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

    /// <summary>The bytes of a cache line: the boundary a tensor's storage starts on.</summary>
    private const int CacheLine = TensorStorage.Alignment;

    /// <summary>
    /// The most row blocks (mc) for which a plain B whose panel rows are whole cache lines is read
    /// in place in the classic order (<see cref="PanelRowsAreCacheLines"/>): packing B is a
    /// visible part of a product that few row blocks share, and none of one with many.
    /// </summary>
    internal const int InPlaceMaxRowBlocks = 4;

    /// <summary>The fewest column tiles per thread for which the column-chunk path is taken.</summary>
    internal const int MinColumnTilesPerThread = 4;

    /// <summary>
    /// The row tiles in one part of the paths that split rows (<see cref="MultiplyInRowParts"/>,
    /// <see cref="MultiplySharingB"/>, and the packing of A in <see cref="MultiplyInChunks"/>):
    /// small parts even out threads on unequally busy cores.
    /// </summary>
    internal const int RowTilesPerPart = 2;

    /// <summary>
    /// The most threads for which <see cref="MultiplyInRowParts"/> has every thread pack its own
    /// copy of each block of B; beyond, the copies cost more than sharing one
    /// (<see cref="MultiplySharingB"/>), as in BLIS.
    /// </summary>
    internal const int MaxThreadsPackingOwnB = 4;

    /// <summary>A C of at most this many floats (32 KB, one L1) is not prefetched tile by tile: it is in cache already or costs little to miss.</summary>
    internal const int SmallOutput = 8192;

    /// <summary>The fewest steps of k in a block for which a tile of C is prefetched before the micro-kernel: a shorter k loop has no time to hide the prefetch.</summary>
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
    /// True when A is best read in place for a product <paramref name="columns"/> wide: a plain
    /// A's micro-panel is MR rows of kc contiguous floats, read from L1 after the first tile,
    /// unless its rows are a multiple of 4 KB apart and crowd one L1 set; a transposed A's is kc
    /// rows of MR floats far apart, worth packing once it is read more than
    /// <see cref="InPlaceMaxReads"/> times, and so is a plain A's in the classic order, where it
    /// is read once per micro-panel of B.
    /// </summary>
    private static bool ReadsAInPlace(in GemmArguments args, int columns)
    {
        bool fewReads = Ceiling(columns, TKernel.Columns) <= InPlaceMaxReads;
        return args.ColumnStrideA == 1
            ? (s_streamsB || fewReads) && args.RowStrideA * sizeof(float) % AliasingStride != 0
            : fewReads;
    }

    /// <summary>
    /// True when B is best read in place for <paramref name="rows"/> rows of C: a plain B's
    /// micro-panel spans kc rows of the matrix and is read once per MR rows of C, so beyond a few
    /// reads the packed, contiguous copy is faster; where loop 1 streams B's panels from L2, twice
    /// as many reads pay if the panel lies within <see cref="InPlacePanelBytes"/>; in the classic
    /// order, any number of reads pay within <see cref="InPlaceMaxRowBlocks"/> row blocks if
    /// the panel's rows are cache lines that spread over L1 (<see cref="PanelRowsAreCacheLines"/>).
    /// </summary>
    internal static bool ReadsBInPlace(in GemmArguments args, int rows)
    {
        if (args.ColumnStrideB != 1)
        {
            return false;
        }

        int reads = Ceiling(rows, TKernel.Rows);
        long panelBytes = (long)Math.Min(args.K, s_depthBlock) * args.RowStrideB * sizeof(float);
        return reads <= InPlaceMaxReads
            || (s_streamsB && reads <= 2 * InPlaceMaxReads && panelBytes <= InPlacePanelBytes)
            || (PanelRowsAreCacheLines(args) && Ceiling(rows, s_rowBlock) <= InPlaceMaxRowBlocks);
    }

    /// <summary>
    /// True when, in the classic order, a plain B's micro-panel read in place takes the room in
    /// L1 that a packed one does: each of its kc rows is one whole cache line (NR floats, B on a
    /// line boundary, its rows a whole number of lines apart), and that number is odd, so the
    /// rows fall into every L1 set instead of crowding a few (784 floats apart, a Linear layer's
    /// weight, is 49 lines; 1024 floats, 64 lines, would put them all in one set). The panel then
    /// stays in L1 while loop 1 runs down its column, as a packed one would, and the copy is saved.
    /// </summary>
    private static bool PanelRowsAreCacheLines(in GemmArguments args) =>
        !s_streamsB
        && TKernel.Columns * sizeof(float) == CacheLine
        && (nint)args.B % CacheLine == 0
        && args.RowStrideB * sizeof(float) % (2 * CacheLine) == CacheLine;

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
