using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyNet.Kernels;

/// <summary>The blocked GEMM on one thread: the loops over blocks and tiles, the packing they call, and the micro-kernel calls.</summary>
internal static unsafe partial class GemmDriver<TKernel>
    where TKernel : struct, IMicroKernel
{
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
    /// 8 columns at a time where the hardware has 256-bit vectors (the output layer's dW, 10
    /// rows, is all edge tiles).
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
}
