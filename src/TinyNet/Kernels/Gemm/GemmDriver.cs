using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
/// (<see cref="s_depthBlock"/>). The order never changes a result: each tile is summed the same way.
/// </remarks>
/// <typeparam name="TKernel">The micro-kernel, which fixes MR and NR.</typeparam>
internal static unsafe class GemmDriver<TKernel>
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
    /// (<see cref="MultiplySharingB"/>), as BLIS does. (Only two threads could be measured here.)
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

    /// <summary>True when loop 1 streams B's micro-panels from L2 (512-bit kernels), false for the classic order (see the remarks).</summary>
    private static readonly bool s_streamsB = TKernel.Width >= 16;

    /// <summary>
    /// nc: the columns of a packed block of B, a multiple of NR. When B is streamed, a kc x nc
    /// block is 512 KB, read once per MR rows of C: it must stay in L2 beside the rows of C being
    /// written. In the classic order it lives in L3 and only bounds the buffer.
    /// </summary>
    private static readonly int s_columnBlock = (s_streamsB ? 512 : 4096) / TKernel.Columns * TKernel.Columns;

    /// <summary>mc: the rows of A packed at a time (and the rows a thread takes at most at once), a multiple of MR.</summary>
    private static readonly int s_rowBlock = 20 * TKernel.Rows;

    /// <summary>
    /// The depth of a packed block for this kernel: <see cref="GemmPlan.DepthBlock"/> when B streams;
    /// twice that in the classic order, where every block is one more pass of loads and stores
    /// over all of C. A tile still sums its k steps in blocks of <see cref="GemmPlan.DepthBlock"/>, each
    /// added to C in turn (see <see cref="Tile"/>), so every variant gives the same bits; the
    /// second half finds the tile of C its first half has just written. On an AMD EPYC (Zen 3:
    /// 32 KB L1, 512 KB L2), with the AVX2 6 x 16 kernel and A packed, blocks of 512 so summed
    /// ran 1.06x as fast as blocks of 256 at n = 1000, 1.00-1.02x on the MLP's 128-row products
    /// and 0.98-1.01x at n = 1024 (summed whole, they ran 1.01-1.04x faster still, but would give
    /// other bits); against 512, blocks of 384 ran 0.97x, 768 0.96x and 1024 0.99x (interleaved,
    /// one thread).
    /// </summary>
    private static readonly int s_depthBlock = s_streamsB ? GemmPlan.DepthBlock : 2 * GemmPlan.DepthBlock;

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
    /// The parallel path when every thread can take a whole mc block of rows, on up to
    /// <see cref="MaxThreadsPackingOwnB"/> threads. Part i is row part
    /// i % rowParts (<see cref="RowTilesPerPart"/> row tiles) of kc x nc block i / rowParts of
    /// B (column block after column block, k block after k block within each), so the parts of
    /// one block come one after another. A thread packs a block of B into its own buffer when it
    /// first takes one of the block's parts: each core then reads the whole block from its own
    /// L2. (Packing each block once into a buffer the threads shared, as BLIS does, put half of
    /// it in the other core's L2 and needed a barrier per block: 3-10% slower at two threads on
    /// n = 512, 1000, 1024 and the MLP's dW, interleaved.) A part waits until the same rows are
    /// done for the block before, which the pool has claimed earlier and is done or running, so
    /// every element of C is still summed over k in order, the same for any thread count; the
    /// call's return is the only barrier. B is always packed here: with an mc block of rows
    /// (20 row tiles) per thread, each micro-panel is read more often than
    /// <see cref="ReadsBInPlace"/> allows.
    /// </summary>
    private static void MultiplyInRowParts(Job job, in GemmArguments args, int maxThreads)
    {
        int rowParts = Ceiling(Ceiling(args.M, TKernel.Rows), RowTilesPerPart);
        int depthBlocks = Ceiling(args.K, s_depthBlock);
        job.SetRowParts(args, ReadsAInPlace(args, args.N), rowParts, depthBlocks);
        KernelThreadPool.Run(job, Ceiling(args.N, s_columnBlock) * depthBlocks * rowParts, maxThreads);
    }

    /// <summary>
    /// The parallel path for the same products on more than <see cref="MaxThreadsPackingOwnB"/>
    /// threads, as in BLIS: for each block of B, the threads first pack it together into one
    /// buffer they share, then take parts of the rows of C (<see cref="RowTilesPerPart"/> row
    /// tiles each, dynamically), each packing its own A. The return of each run is the barrier
    /// before the buffer is filled again. B is always packed here, as in
    /// <see cref="MultiplyInRowParts"/>.
    /// </summary>
    private static void MultiplySharingB(Job job, in GemmArguments args, int maxThreads)
    {
        int nr = TKernel.Columns;
        bool directA = ReadsAInPlace(args, args.N);
        float* sharedB = GemmWorkspace.Current.SharedB(s_depthBlock * Math.Min(s_columnBlock, Ceiling(args.N, nr) * nr));
        int rowParts = Ceiling(Ceiling(args.M, TKernel.Rows), RowTilesPerPart);
        for (int jc = 0; jc < args.N; jc += s_columnBlock)
        {
            int nc = Math.Min(s_columnBlock, args.N - jc);
            int panels = Ceiling(nc, nr);
            int panelsPerPart = Ceiling(panels, 2 * maxThreads);
            for (int pc = 0; pc < args.K; pc += s_depthBlock)
            {
                int kc = Math.Min(s_depthBlock, args.K - pc);
                job.SetPackingB(args, jc, nc, pc, kc, sharedB, panelsPerPart);
                KernelThreadPool.Run(job, Ceiling(panels, panelsPerPart), maxThreads);

                job.SetRows(args, jc, nc, pc, kc, directA, sharedB);
                KernelThreadPool.Run(job, rowParts, maxThreads);
            }
        }
    }

    /// <summary>
    /// The parallel path when C has columns enough but few rows: first the threads pack all of A
    /// once, into one buffer they share (a part per k block and <see cref="RowTilesPerPart"/>
    /// row tiles), unless A is read in place; then they take chunks of columns of C, a few per
    /// thread, each chunk packing its own columns of B and running over every row. No operand is
    /// packed twice, and a thread slowed by a busy core takes fewer chunks instead of holding the
    /// whole call back. (Parts of an mc block had left a batch of 128 rows in two parts on AVX2,
    /// 120 rows and 8, and in one on AVX-512: one thread packed nearly all of A while the other
    /// waited. On an AMD EPYC, Zen 3, parts of 2 row tiles ran 128x512 * (256x512)ᵀ 1.02x as
    /// fast on two threads and 128x256 * (512x256)ᵀ 1.07x, 128x512 * 512x784 level; interleaved.)
    /// </summary>
    private static void MultiplyInChunks(Job job, in GemmArguments args, int columnTiles, int maxThreads)
    {
        bool directA = ReadsAInPlace(args, args.N);
        float* sharedA = null;
        if (!directA)
        {
            int paddedRows = Ceiling(args.M, TKernel.Rows) * TKernel.Rows;
            sharedA = GemmWorkspace.Current.SharedA(paddedRows * args.K);
            job.SetPackingA(args, sharedA);
            KernelThreadPool.Run(job, Ceiling(args.K, s_depthBlock) * Ceiling(args.M, RowTilesPerPart * TKernel.Rows), maxThreads);
        }

        int chunkTiles = Math.Max(1, columnTiles / (GemmPlan.ChunksPerThread * maxThreads));
        job.SetChunks(args, directA, sharedA, chunkTiles);
        KernelThreadPool.Run(job, Ceiling(columnTiles, chunkTiles), maxThreads);
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

    /// <summary>Computes rows [rowStart, rowEnd) x columns [columnStart, columnEnd) of C on the calling thread.</summary>
    /// <param name="args">The whole product.</param>
    /// <param name="rowStart">The first row of C.</param>
    /// <param name="rowEnd">The end of the rows of C.</param>
    /// <param name="columnStart">The first column of C.</param>
    /// <param name="columnEnd">The end of the columns of C.</param>
    /// <param name="directA">Read A in place rather than pack it.</param>
    /// <param name="sharedA">
    /// All of A already packed (rows 0..m, k block after k block, as <see cref="PackAll"/> lays
    /// it out), or null to pack each block of A here. Only with rowStart = 0 and rowEnd = m.
    /// </param>
    public static void MultiplyBlock(
        in GemmArguments args, int rowStart, int rowEnd, int columnStart, int columnEnd, bool directA, float* sharedA)
    {
        int nr = TKernel.Columns;
        int columnBlock = Math.Min(s_columnBlock, Ceiling(columnEnd - columnStart, nr) * nr);
        float* packedB = GemmWorkspace.Current.PackedB(s_depthBlock * columnBlock);
        bool directB = ReadsBInPlace(args, rowEnd - rowStart);

        // Loop 5: split n into blocks of nc columns.
        for (int jc = columnStart; jc < columnEnd; jc += s_columnBlock)
        {
            int nc = Math.Min(s_columnBlock, columnEnd - jc);

            // Loop 4: split k into blocks of kc; pack the kc x nc block of B, unless B is read in place.
            for (int pc = 0; pc < args.K; pc += s_depthBlock)
            {
                int kc = Math.Min(s_depthBlock, args.K - pc);
                float* blockB = args.B + (pc * args.RowStrideB) + (jc * args.ColumnStrideB);
                PackBlock(blockB, args.ColumnStrideB, args.RowStrideB, nc, kc, nr, directB, inPlaceRest: 0, packedB);
                MultiplyRows(args, rowStart, rowEnd, jc, nc, pc, kc, directA, sharedA, directB, packedB);
            }
        }
    }

    /// <summary>
    /// Loops 3 to 1: rows [rowStart, rowEnd) of C against one kc x nc block of B, already
    /// packed (or read in place). Packs A an mc block at a time, unless it is read in place or
    /// already packed in <paramref name="sharedA"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyRows(
        in GemmArguments args,
        int rowStart,
        int rowEnd,
        int jc,
        int nc,
        int pc,
        int kc,
        bool directA,
        float* sharedA,
        bool directB,
        float* packedB)
    {
        int mr = TKernel.Rows;
        int nr = TKernel.Columns;
        GemmWorkspace workspace = GemmWorkspace.Current;
        float* packedA = workspace.PackedA(s_depthBlock * s_rowBlock);
        float* tile = workspace.Tile(mr * nr);
        int paddedRows = Ceiling(args.M, mr) * mr;
        float* blockB = args.B + (pc * args.RowStrideB) + (jc * args.ColumnStrideB);

        // The first k block applies beta; later ones add to what the earlier ones wrote.
        float beta = pc == 0 ? args.Beta : 1f;

        // Loop 3: split the rows into blocks of mc; pack the mc x kc block of A, unless A is read in place.
        for (int ic = rowStart; ic < rowEnd; ic += s_rowBlock)
        {
            int mc = Math.Min(s_rowBlock, rowEnd - ic);
            float* blockA = args.A + (ic * args.RowStrideA) + (pc * args.ColumnStrideA);
            float* panelsA = packedA;
            if (sharedA != null)
            {
                panelsA = sharedA + (pc * paddedRows) + (ic * kc);
            }
            else
            {
                PackBlock(blockA, args.RowStrideA, args.ColumnStrideA, mc, kc, mr, directA, TKernel.FewRows, packedA);
            }

            float* cBlock = args.C + (ic * args.Ldc) + jc;
            if (s_streamsB)
            {
                // Loop 2: micro-panels of A (MR rows), each kept in L1 while loop 1 runs along its row.
                for (int ir = 0; ir < mc; ir += mr)
                {
                    // Loop 1: micro-panels of B (NR columns), streamed from L2: one micro-kernel call per tile.
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        Tile(args, blockA, directA, panelsA, ir, mc, blockB, directB, packedB, jr, nc, kc, cBlock, beta, tile);
                    }
                }
            }
            else
            {
                // Loop 2: micro-panels of B (NR columns), each kept in L1 while loop 1 runs down its column.
                for (int jr = 0; jr < nc; jr += nr)
                {
                    // Loop 1: micro-panels of A (MR rows), from the block of A in L2.
                    for (int ir = 0; ir < mc; ir += mr)
                    {
                        Tile(args, blockA, directA, panelsA, ir, mc, blockB, directB, packedB, jr, nc, kc, cBlock, beta, tile);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs rows [ic, ic + <see cref="RowTilesPerPart"/> row tiles) of k block [pc, pc + kc) of
    /// A into <paramref name="sharedA"/>, which holds all of A: k block after k block, each the
    /// padded rows' micro-panels.
    /// </summary>
    private static void PackAll(in GemmArguments args, int pc, int ic, float* sharedA)
    {
        int kc = Math.Min(s_depthBlock, args.K - pc);
        int mc = Math.Min(RowTilesPerPart * TKernel.Rows, args.M - ic);
        int paddedRows = Ceiling(args.M, TKernel.Rows) * TKernel.Rows;
        float* blockA = args.A + (ic * args.RowStrideA) + (pc * args.ColumnStrideA);
        GemmPacking.Pack(blockA, args.RowStrideA, args.ColumnStrideA, mc, kc, TKernel.Rows, sharedA + (pc * paddedRows) + (ic * kc));
    }

    /// <summary>
    /// Packs B panels [first, first + count) of the kc x nc block at (pc, jc) into
    /// <paramref name="packedB"/>, which holds the whole block's micro-panels.
    /// </summary>
    private static void PackPanelsOfB(in GemmArguments args, int jc, int nc, int pc, int kc, int first, int count, float* packedB)
    {
        int nr = TKernel.Columns;
        int start = first * nr;
        int width = Math.Min(count * nr, nc - start);
        float* source = args.B + (pc * args.RowStrideB) + ((jc + start) * args.ColumnStrideB);
        GemmPacking.Pack(source, args.ColumnStrideB, args.RowStrideB, width, kc, nr, packedB + (start * kc));
    }

    /// <summary>
    /// One MR x NR tile of C: picks the packed or in-place micro-panels, asks for the tile of C
    /// early unless C is small or the k loop short (it is usually far away in memory, and is
    /// needed when the k loop ends; see <see cref="SmallOutput"/> and <see cref="PrefetchDepth"/>),
    /// and calls the micro-kernel, directly on C for a full tile or through the side buffer for an edge.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(
        in GemmArguments args,
        float* blockA,
        bool directA,
        float* packedA,
        int ir,
        int mc,
        float* blockB,
        bool directB,
        float* packedB,
        int jr,
        int nc,
        int kc,
        float* cBlock,
        float beta,
        float* tile)
    {
        int mr = TKernel.Rows;
        int nr = TKernel.Columns;
        int columns = Math.Min(nr, nc - jr);
        bool inPlaceB = directB && columns == nr;
        float* panelB = inPlaceB ? blockB + jr : packedB + (jr * kc);
        nint bStep = inPlaceB ? args.RowStrideB : nr;
        int rows = Math.Min(mr, mc - ir);

        // A last row tile of at most FewRows rows reads A as the whole ones do (see PackBlock).
        bool fewRows = rows <= TKernel.FewRows;
        bool inPlaceA = directA && (rows == mr || fewRows);
        float* panelA = inPlaceA ? blockA + (ir * args.RowStrideA) : packedA + (ir * kc);
        nint aRowStride = inPlaceA ? args.RowStrideA : 1;
        nint aStep = inPlaceA ? args.ColumnStrideA : mr;
        float* c = cBlock + (ir * args.Ldc) + jr;
        if (kc >= PrefetchDepth && (long)args.M * args.N > SmallOutput)
        {
            PrefetchTile(c, args.Ldc, rows, nr);
        }

        // A last column tile no wider than a vector computes only the tile's first vector.
        bool half = columns <= TKernel.Width;
        bool whole = rows == mr && (columns == nr || (half && columns == TKernel.Width));

        // The block is summed in k blocks of GemmPlan.DepthBlock, each added to C as the one before left
        // it (see s_depthBlock), so a deeper block gives the same bits as several.
        for (int p0 = 0; p0 < kc; p0 += GemmPlan.DepthBlock)
        {
            int depth = Math.Min(GemmPlan.DepthBlock, kc - p0);
            float blockBeta = p0 == 0 ? beta : 1f;
            float* a = panelA + (p0 * aStep);
            float* b = panelB + (p0 * bStep);
            if (whole)
            {
                RunKernel(half, depth, a, aRowStride, aStep, b, bStep, c, args.Ldc, args.Alpha, blockBeta);
            }
            else if (fewRows && columns == nr)
            {
                RunFewRows(rows, depth, a, aRowStride, aStep, b, bStep, c, args.Ldc, args.Alpha, blockBeta);
            }
            else if (fewRows)
            {
                // B's panel is packed, zero-padded to NR columns: compute them all aside.
                RunFewRows(rows, depth, a, aRowStride, aStep, b, bStep, tile, nr, args.Alpha, 0f);
                MergeTile(tile, nr, c, args.Ldc, rows, columns, blockBeta);
            }
            else
            {
                // An edge tile: compute the tile (or its half) aside, then merge the valid part.
                RunKernel(half, depth, a, aRowStride, aStep, b, bStep, tile, nr, args.Alpha, 0f);
                MergeTile(tile, nr, c, args.Ldc, rows, columns, blockBeta);
            }
        }
    }

    /// <summary>The micro-kernel's tile of fewer rows (<see cref="IMicroKernel.RunFewRows{TAlpha}"/>), compiled for alpha 1 or not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunFewRows(int rows, int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
    {
        if (alpha == 1f)
        {
            TKernel.RunFewRows<AlphaOne>(rows, kc, a, aRowStride, aStep, b, bStep, c, ldc, alpha, beta);
        }
        else
        {
            TKernel.RunFewRows<AnyAlpha>(rows, kc, a, aRowStride, aStep, b, bStep, c, ldc, alpha, beta);
        }
    }

    /// <summary>
    /// The micro-kernel compiled for the panel's layout and for alpha: rows 1 apart (A packed, or
    /// a transposed A read in place) or steps 1 apart (a plain A read in place; A's two strides
    /// are its row length and 1), and alpha 1 (the sums written as they are) or not; the whole
    /// tile, or its first vector of columns when <paramref name="half"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunKernel(bool half, int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
    {
        if (alpha == 1f)
        {
            RunKernel<AlphaOne>(half, kc, a, aRowStride, aStep, b, bStep, c, ldc, alpha, beta);
        }
        else
        {
            RunKernel<AnyAlpha>(half, kc, a, aRowStride, aStep, b, bStep, c, ldc, alpha, beta);
        }
    }

    /// <inheritdoc cref="RunKernel(bool, int, float*, nint, nint, float*, nint, float*, nint, float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunKernel<TAlpha>(bool half, int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
        where TAlpha : struct, IAlphaScale
    {
        if (aRowStride == 1)
        {
            RunKernel<AdjacentRows, TAlpha>(half, kc, a, aRowStride, aStep, b, bStep, c, ldc, alpha, beta);
        }
        else
        {
            Debug.Assert(aStep == 1, "A read in place has either adjacent rows or adjacent steps.");
            RunKernel<AdjacentSteps, TAlpha>(half, kc, a, aRowStride, aStep, b, bStep, c, ldc, alpha, beta);
        }
    }

    /// <inheritdoc cref="RunKernel(bool, int, float*, nint, nint, float*, nint, float*, nint, float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunKernel<TLayout, TAlpha>(bool half, int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
        where TLayout : struct, IPanelLayout
        where TAlpha : struct, IAlphaScale
    {
        if (half)
        {
            TKernel.RunHalf<TLayout, TAlpha>(kc, a, aRowStride, aStep, b, bStep, c, ldc, alpha, beta);
        }
        else
        {
            TKernel.Run<TLayout, TAlpha>(kc, a, aRowStride, aStep, b, bStep, c, ldc, alpha, beta);
        }
    }

    /// <summary>
    /// Packs a block into micro-panels; when the block is read in place, packs only its last,
    /// partial panel (the kernel reads whole panels, and a partial one would run off the edge),
    /// unless it has at most <paramref name="inPlaceRest"/> rows (or columns): the kernel's tile
    /// of fewer rows reads those in place (<see cref="IMicroKernel.FewRows"/>).
    /// </summary>
    private static void PackBlock(
        float* block, nint extentStride, nint depthStride, int extent, int depth, int panelWidth, bool inPlace, int inPlaceRest, float* packed)
    {
        if (!inPlace)
        {
            GemmPacking.Pack(block, extentStride, depthStride, extent, depth, panelWidth, packed);
            return;
        }

        int fullPanels = extent / panelWidth;
        int start = fullPanels * panelWidth;
        if (extent - start > inPlaceRest)
        {
            GemmPacking.Pack(
                block + (start * extentStride), extentStride, depthStride, extent - start, depth, panelWidth, packed + (start * depth));
        }
    }

    /// <summary>Asks for the first and last cache line of each row of a tile of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, nint ldc, int rows, int columns)
    {
        if (Sse.IsSupported)
        {
            for (int i = 0; i < rows; i++)
            {
                float* row = c + (i * ldc);
                Sse.Prefetch0(row);
                Sse.Prefetch0(row + columns - 1);
            }
        }
    }

    /// <summary>
    /// C = tile (beta = 0, C not read) or fma(beta, C, tile): the micro-kernel's own write rule,
    /// 8 columns at a time where the hardware has 256-bit vectors. Element by element, merging
    /// took a fifth of the time of the output layer's dW (10x128 * 128x256 with beta = 1, where
    /// every tile is an edge): vectorized, it ran 1.27x as fast (interleaved, one thread).
    /// </summary>
    private static void MergeTile(float* tile, int tileStride, float* c, nint ldc, int rows, int columns, float beta)
    {
        int whole = Vector256.IsHardwareAccelerated ? columns / Vector256<float>.Count * Vector256<float>.Count : 0;
        Vector256<float> betas = Vector256.Create(beta);
        for (int i = 0; i < rows; i++)
        {
            float* source = tile + (i * tileStride);
            float* target = c + (i * ldc);
            if (beta == 0f)
            {
                int j = 0;
                for (; j < whole; j += Vector256<float>.Count)
                {
                    Vector256.Store(Vector256.Load(source + j), target + j);
                }

                for (; j < columns; j++)
                {
                    target[j] = source[j];
                }
            }
            else
            {
                int j = 0;
                for (; j < whole; j += Vector256<float>.Count)
                {
                    Vector256.Store(Vector256.FusedMultiplyAdd(betas, Vector256.Load(target + j), Vector256.Load(source + j)), target + j);
                }

                for (; j < columns; j++)
                {
                    target[j] = MathF.FusedMultiplyAdd(beta, target[j], source[j]);
                }
            }
        }
    }

    private static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;

    /// <summary>
    /// The parts of one parallel call: a grid of row parts x column parts of C; or packing A
    /// into a shared buffer, then chunks of columns of C over it; or, block of B by block, parts
    /// of the rows of C (<see cref="MultiplyInRowParts"/>), or packing the block into a shared
    /// buffer, then parts of the rows over it (<see cref="MultiplySharingB"/>).
    /// </summary>
    private sealed class Job : ParallelWork
    {
        private GemmArguments _args;
        private Mode _mode;
        private int _rowParts;
        private int _columnParts;
        private bool _directA;
        private float* _sharedA;
        private int _partSize;
        private int _depthBlocks;
        private long _call;
        private int[] _blocksDone = [];
        private float* _sharedB;
        private int _jc;
        private int _nc;
        private int _pc;
        private int _kc;

        private enum Mode
        {
            Grid,
            PackingA,
            Chunks,
            RowParts,
            PackingB,
            Rows,
        }

        public void SetGrid(in GemmArguments args, int rowParts, int columnParts)
        {
            _args = args;
            _mode = Mode.Grid;
            _rowParts = rowParts;
            _columnParts = columnParts;
        }

        public void SetPackingA(in GemmArguments args, float* sharedA)
        {
            _args = args;
            _mode = Mode.PackingA;
            _sharedA = sharedA;
        }

        public void SetChunks(in GemmArguments args, bool directA, float* sharedA, int chunkTiles)
        {
            _args = args;
            _mode = Mode.Chunks;
            _directA = directA;
            _sharedA = sharedA;
            _partSize = chunkTiles;
        }

        /// <summary>Sets up <see cref="MultiplyInRowParts"/>: rows cut into <paramref name="rowParts"/>, k into <paramref name="depthBlocks"/>.</summary>
        public void SetRowParts(in GemmArguments args, bool directA, int rowParts, int depthBlocks)
        {
            _args = args;
            _mode = Mode.RowParts;
            _directA = directA;
            _rowParts = rowParts;
            _depthBlocks = depthBlocks;
            _call = GemmWorkspace.NewCallId();
            if (_blocksDone.Length < rowParts)
            {
                _blocksDone = new int[rowParts];
            }

            Array.Clear(_blocksDone, 0, rowParts);
        }

        public void SetPackingB(in GemmArguments args, int jc, int nc, int pc, int kc, float* sharedB, int panelsPerPart)
        {
            _args = args;
            _mode = Mode.PackingB;
            SetBlockB(jc, nc, pc, kc, sharedB);
            _partSize = panelsPerPart;
        }

        public void SetRows(in GemmArguments args, int jc, int nc, int pc, int kc, bool directA, float* sharedB)
        {
            _args = args;
            _mode = Mode.Rows;
            SetBlockB(jc, nc, pc, kc, sharedB);
            _directA = directA;
        }

        public void Clear()
        {
            _args = default;
            _sharedA = null;
            _sharedB = null;
        }

        public override void Execute(int index)
        {
            switch (_mode)
            {
                case Mode.PackingA:
                    int rowParts = Ceiling(_args.M, RowTilesPerPart * TKernel.Rows);
                    PackAll(_args, index / rowParts * s_depthBlock, index % rowParts * RowTilesPerPart * TKernel.Rows, _sharedA);
                    break;
                case Mode.Chunks:
                    int chunkColumns = _partSize * TKernel.Columns;
                    int start = index * chunkColumns;
                    MultiplyBlock(_args, 0, _args.M, start, Math.Min(start + chunkColumns, _args.N), _directA, _sharedA);
                    break;
                case Mode.RowParts:
                    RunRowPart(index / _rowParts, index % _rowParts);
                    break;
                case Mode.PackingB:
                    PackPanelsOfB(_args, _jc, _nc, _pc, _kc, index * _partSize, _partSize, _sharedB);
                    break;
                case Mode.Rows:
                    (int partStart, int partEnd) = RowPart(index);
                    MultiplyRows(_args, partStart, partEnd, _jc, _nc, _pc, _kc, _directA, sharedA: null, directB: false, _sharedB);
                    break;
                default:
                    int rowPart = index / _columnParts;
                    int columnPart = index % _columnParts;
                    (int rowStart, int rowEnd) = Range(_args.M, TKernel.Rows, rowPart, _rowParts);
                    (int columnStart, int columnEnd) = Range(_args.N, TKernel.Columns, columnPart, _columnParts);
                    if (rowStart < rowEnd && columnStart < columnEnd)
                    {
                        MultiplyBlock(_args, rowStart, rowEnd, columnStart, columnEnd, ReadsAInPlace(_args, columnEnd - columnStart), sharedA: null);
                    }

                    break;
            }
        }

        /// <summary>Row part <paramref name="rowPart"/> against block <paramref name="block"/> of B (see <see cref="MultiplyInRowParts"/>).</summary>
        private void RunRowPart(int block, int rowPart)
        {
            ref int blocksDone = ref _blocksDone[rowPart];
            if (Volatile.Read(ref blocksDone) != block)
            {
                var spinner = default(SpinWait);
                while (Volatile.Read(ref blocksDone) != block)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
            }

            try
            {
                int nr = TKernel.Columns;
                int jc = block / _depthBlocks * s_columnBlock;
                int pc = block % _depthBlocks * s_depthBlock;
                int nc = Math.Min(s_columnBlock, _args.N - jc);
                int kc = Math.Min(s_depthBlock, _args.K - pc);
                GemmWorkspace workspace = GemmWorkspace.Current;
                float* packedB = workspace.PackedB(s_depthBlock * Math.Min(s_columnBlock, Ceiling(_args.N, nr) * nr));
                if (workspace.BlockInPackedB != (_call, block))
                {
                    PackPanelsOfB(_args, jc, nc, pc, kc, 0, Ceiling(nc, nr), packedB);
                    workspace.BlockInPackedB = (_call, block);
                }

                (int partStart, int partEnd) = RowPart(rowPart);
                MultiplyRows(_args, partStart, partEnd, jc, nc, pc, kc, _directA, sharedA: null, directB: false, packedB);
            }
            finally
            {
                // Also after an exception, so no later part waits forever; the call rethrows it.
                Volatile.Write(ref blocksDone, block + 1);
            }
        }

        /// <summary>The rows of C in row part <paramref name="rowPart"/> of the paths that split rows.</summary>
        private (int Start, int End) RowPart(int rowPart)
        {
            int start = rowPart * RowTilesPerPart * TKernel.Rows;
            return (start, Math.Min(start + (RowTilesPerPart * TKernel.Rows), _args.M));
        }

        private void SetBlockB(int jc, int nc, int pc, int kc, float* sharedB)
        {
            _jc = jc;
            _nc = nc;
            _pc = pc;
            _kc = kc;
            _sharedB = sharedB;
        }

        /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> of [0, extent), cut at whole tiles.</summary>
        private static (int Start, int End) Range(int extent, int tileSize, int part, int parts)
        {
            int tiles = Ceiling(extent, tileSize);
            int start = (int)((long)tiles * part / parts) * tileSize;
            int end = (int)((long)tiles * (part + 1) / parts) * tileSize;
            return (Math.Min(start, extent), Math.Min(end, extent));
        }
    }
}
