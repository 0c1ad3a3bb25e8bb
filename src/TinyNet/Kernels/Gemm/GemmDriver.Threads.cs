
namespace TinyNet.Kernels;

/// <summary>The blocked GEMM on several threads: the three ways a product is cut into parts, and the job that runs them.</summary>
internal static unsafe partial class GemmDriver<TKernel>
    where TKernel : struct, IMicroKernel
{
    /// <summary>
    /// The parallel path when every thread can take a whole mc block of rows, on up to
    /// <see cref="MaxThreadsPackingOwnB"/> threads. Part i is row part
    /// i % rowParts (<see cref="RowTilesPerPart"/> row tiles) of kc x nc block i / rowParts of
    /// B (column block after column block, k block after k block within each), so the parts of
    /// one block come one after another. A thread packs a block of B into its own buffer when it
    /// first takes one of the block's parts: each core then reads the whole block from its own
    /// L2, where one shared copy, as in BLIS, would put half of it in the other core's L2 and
    /// need a barrier per block. A part waits until the same rows are
    /// done for the block before, which the pool has claimed earlier and is done or running, so
    /// every element of C is still summed over k in order, the same for any thread count; the
    /// call's return is the only barrier. B is always packed here: a thread's copy of a block
    /// serves every row part of it the thread takes.
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
    /// whole call back; A's parts are small so that both threads pack a share of it.
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
