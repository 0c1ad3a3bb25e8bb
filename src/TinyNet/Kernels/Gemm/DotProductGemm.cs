using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyNet.Kernels;

/// <summary>
/// C = alpha * A * Bᵀ + beta * C on AVX-512 for the products the blocked GEMM serves badly: a
/// narrow C (n below 16, where a 16-wide tile is partly padding) and a short one (m below 8,
/// such as one sample at inference, where an 8-row tile is mostly padding and packing B costs
/// more than the product; from 4 rows, <see cref="TransposedGemm"/> takes those with a large B
/// first, its swapped product being narrow). Rows of A and of the stored B both run along k, so each element of C
/// is a dot product of two contiguous rows: no packing at all. <see cref="NarrowGemm"/> takes
/// the narrow products from 4 columns (such as a 10-class output layer) before they get here.
/// </summary>
/// <remarks>
/// A tile holds 16 dot products (8 rows x 2 columns of C, or 2 x 8: the same kernel with A and B
/// swapped), each in one vector of 16 partial sums: lane l sums the terms p = l, l + 16, l + 32,
/// ... in order, with fused multiply-adds (the last k % 16 terms read from zero-padded copies).
/// The 16 vectors are then reduced together by a fixed tree (lane l + lane l + 8, then + 4, + 2,
/// + 1), which interleaves the 16 reductions into one vector: 30 shuffles and 15 additions for the
/// 16 results. The summation order depends only on k, never on the thread count, but it differs
/// from the blocked kernels' sequential order, so these shapes may differ from the other variants
/// in the last bits.
/// </remarks>
internal static unsafe partial class DotProductGemm
{
    /// <summary>
    /// Products narrower than this take the 8 x 2 tiles. At 16 columns the blocked path's
    /// one-vector kernel wastes nothing, and is faster.
    /// </summary>
    internal const int NarrowColumns = 16;

    /// <summary>Products with fewer rows than this take the 2 x 8 tiles.</summary>
    internal const int ShortRows = 8;

    /// <summary>The long side of a tile: 8 rows of a narrow C, or 8 columns of a short one.</summary>
    private const int LongSide = 8;

    /// <summary>The short side of a tile.</summary>
    private const int ShortSide = 2;

    /// <summary>The rows of B against a single row of A (see <see cref="TileOfOneRow"/>).</summary>
    private const int OneRowTile = 4;

    [ThreadStatic]
    private static Job? t_job;

    /// <summary>Runs on this hardware: AVX-512, for the 16-lane vectors and masked loads.</summary>
    public static bool IsSupported => Vector512Simd.IsSupported;

    /// <summary>
    /// True for A * Bᵀ (rows of A and of the stored B contiguous along k; with one row or one
    /// column, either layout is) with a narrow or short C: the shapes this path computes faster
    /// than the blocked one.
    /// </summary>
    public static bool Suits(int m, int n, bool transposeA, bool transposeB) =>
        (!transposeA || m == 1) && (transposeB || n == 1) && (n < NarrowColumns || m < ShortRows);

    /// <summary>Runs the whole product on up to <paramref name="maxThreads"/> threads.</summary>
    public static void Multiply(in GemmArguments args, int maxThreads)
    {
        // A narrow C is cut into row tiles (the columns fit in one or a few tiles); a short one
        // into column tiles, each over all of C's rows.
        bool narrow = args.M >= ShortRows;
        int tiles = narrow ? Ceiling(args.M, LongSide) : Ceiling(args.N, LongSide);
        int runs = TileRuns.Count(args, tiles, maxThreads);
        if (runs <= 1)
        {
            Run(args, narrow, 0, tiles);
            return;
        }

        Job job = t_job ??= new Job();
        job.Set(args, narrow);
        job.RunInParts(tiles, runs, maxThreads);
    }

    /// <summary>Computes tiles [firstTile, endTile): row tiles of 8 when narrow, else column tiles of 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(in GemmArguments args, bool narrow, int firstTile, int endTile)
    {
        float* scratch = stackalloc float[LongSide * ShortSide];
        float* tails = stackalloc float[(LongSide + ShortSide) * 16];
        Vector512<float> alpha = Vector512.Create(args.Alpha);
        for (int tile = firstTile; tile < endTile; tile++)
        {
            if (narrow)
            {
                // 8 rows of A against 2 rows of the stored B at a time: sum (r, j) is C's (r, j).
                int row = tile * LongSide;
                float* rowsOfA = args.A + (row * args.RowStrideA);
                for (int column = 0; column < args.N; column += ShortSide)
                {
                    float* rowsOfB = args.B + (column * args.ColumnStrideB);
                    Vector512<float> products = alpha * Tile(rowsOfA, args.RowStrideA, args.M - row, rowsOfB, args.ColumnStrideB, args.N - column, args.K, tails);
                    WriteNarrow(args, products, row, column, scratch);
                }
            }
            else if (args.M == 1)
            {
                // One row of A (a sample at inference): 4 rows of the stored B at a time against it.
                int column = tile * LongSide;
                for (int first = column; first < Math.Min(column + LongSide, args.N); first += OneRowTile)
                {
                    float* rowsOfB = args.B + (first * args.ColumnStrideB);
                    Vector128<float> products = alpha.GetLower().GetLower() * TileOfOneRow(rowsOfB, args.ColumnStrideB, args.N - first, args.A, args.K, tails);
                    WriteOneRow(args, products, first, scratch);
                }
            }
            else
            {
                // 8 rows of the stored B against 2 rows of A: sum (j, r) is C's (r, j). The 8 rows
                // of B stay in L1 while every row pair of A passes over them.
                int column = tile * LongSide;
                float* rowsOfB = args.B + (column * args.ColumnStrideB);
                for (int row = 0; row < args.M; row += ShortSide)
                {
                    float* rowsOfA = args.A + (row * args.RowStrideA);
                    Vector512<float> products = alpha * Tile(rowsOfB, args.ColumnStrideB, args.N - column, rowsOfA, args.RowStrideA, args.M - row, args.K, tails);
                    WriteShort(args, products, row, column, scratch);
                }
            }
        }
    }

    /// <summary>
    /// The 16 dot products of 8 rows (<paramref name="longRows"/>, <paramref name="longStride"/>
    /// apart) with 2 rows (<paramref name="shortRows"/>), all <paramref name="k"/> long; rows past
    /// the <paramref name="longCount"/> or <paramref name="shortCount"/> that exist repeat the last
    /// one (their sums are computed and dropped). Returns sum (i, j) in lane 2 i + j. A dot
    /// product is symmetric to the bit (each term is one fused multiply-add), so which operand
    /// is which side does not change a result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector512<float> Tile(
        float* longRows, nint longStride, int longCount, float* shortRows, nint shortStride, int shortCount, int k, float* tails)
    {
        float* a0 = Row(longRows, longStride, 0, longCount);
        float* a1 = Row(longRows, longStride, 1, longCount);
        float* a2 = Row(longRows, longStride, 2, longCount);
        float* a3 = Row(longRows, longStride, 3, longCount);
        float* a4 = Row(longRows, longStride, 4, longCount);
        float* a5 = Row(longRows, longStride, 5, longCount);
        float* a6 = Row(longRows, longStride, 6, longCount);
        float* a7 = Row(longRows, longStride, 7, longCount);
        float* b0 = Row(shortRows, shortStride, 0, shortCount);
        float* b1 = Row(shortRows, shortStride, 1, shortCount);
        Vector512<float> s00 = default, s01 = default, s10 = default, s11 = default;
        Vector512<float> s20 = default, s21 = default, s30 = default, s31 = default;
        Vector512<float> s40 = default, s41 = default, s50 = default, s51 = default;
        Vector512<float> s60 = default, s61 = default, s70 = default, s71 = default;
        int p = 0;
        int end = k & ~15;
        while (true)
        {
            for (; p < end; p += 16)
            {
                Vector512<float> x0 = Vector512.Load(b0 + p);
                Vector512<float> x1 = Vector512.Load(b1 + p);
                Vector512<float> y = Vector512.Load(a0 + p);
                s00 = Vector512.FusedMultiplyAdd(y, x0, s00);
                s01 = Vector512.FusedMultiplyAdd(y, x1, s01);
                y = Vector512.Load(a1 + p);
                s10 = Vector512.FusedMultiplyAdd(y, x0, s10);
                s11 = Vector512.FusedMultiplyAdd(y, x1, s11);
                y = Vector512.Load(a2 + p);
                s20 = Vector512.FusedMultiplyAdd(y, x0, s20);
                s21 = Vector512.FusedMultiplyAdd(y, x1, s21);
                y = Vector512.Load(a3 + p);
                s30 = Vector512.FusedMultiplyAdd(y, x0, s30);
                s31 = Vector512.FusedMultiplyAdd(y, x1, s31);
                y = Vector512.Load(a4 + p);
                s40 = Vector512.FusedMultiplyAdd(y, x0, s40);
                s41 = Vector512.FusedMultiplyAdd(y, x1, s41);
                y = Vector512.Load(a5 + p);
                s50 = Vector512.FusedMultiplyAdd(y, x0, s50);
                s51 = Vector512.FusedMultiplyAdd(y, x1, s51);
                y = Vector512.Load(a6 + p);
                s60 = Vector512.FusedMultiplyAdd(y, x0, s60);
                s61 = Vector512.FusedMultiplyAdd(y, x1, s61);
                y = Vector512.Load(a7 + p);
                s70 = Vector512.FusedMultiplyAdd(y, x0, s70);
                s71 = Vector512.FusedMultiplyAdd(y, x1, s71);
            }

            if (p >= k)
            {
                break;
            }

            // The last k % 16 terms: point each row at a zero-padded copy of its tail and take
            // one more step of the same loop.
            Vector512<float> mask = LanesBelow(k - p);
            a0 = Tail(a0, p, mask, tails + 0);
            a1 = Tail(a1, p, mask, tails + 16);
            a2 = Tail(a2, p, mask, tails + 32);
            a3 = Tail(a3, p, mask, tails + 48);
            a4 = Tail(a4, p, mask, tails + 64);
            a5 = Tail(a5, p, mask, tails + 80);
            a6 = Tail(a6, p, mask, tails + 96);
            a7 = Tail(a7, p, mask, tails + 112);
            b0 = Tail(b0, p, mask, tails + 128);
            b1 = Tail(b1, p, mask, tails + 144);
            end = p + 16;
        }

        // Reduce16 puts input i in lane 4 (i % 4) + i / 4; this order lands (i, j) in lane 2 i + j.
        return Reduce16(
            s00, s20, s40, s60, s01, s21, s41, s61, s10, s30, s50, s70, s11, s31, s51, s71);
    }

    /// <summary>
    /// The 4 dot products of 4 rows (<paramref name="rows"/>, <paramref name="stride"/> apart;
    /// rows past <paramref name="count"/> repeat the last one) with one row of A, all
    /// <paramref name="k"/> long; sum i in lane i. With one row of A, a product streams B once
    /// and makes a multiply-add per float of it: 4 streams of rows, which the core prefetches
    /// better than the 8 x 2 tile's 8.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector128<float> TileOfOneRow(float* rows, nint stride, int count, float* a, int k, float* tails)
    {
        float* b0 = Row(rows, stride, 0, count);
        float* b1 = Row(rows, stride, 1, count);
        float* b2 = Row(rows, stride, 2, count);
        float* b3 = Row(rows, stride, 3, count);
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int p = 0;
        int end = k & ~15;
        while (true)
        {
            for (; p < end; p += 16)
            {
                Vector512<float> x = Vector512.Load(a + p);
                s0 = Vector512.FusedMultiplyAdd(Vector512.Load(b0 + p), x, s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Load(b1 + p), x, s1);
                s2 = Vector512.FusedMultiplyAdd(Vector512.Load(b2 + p), x, s2);
                s3 = Vector512.FusedMultiplyAdd(Vector512.Load(b3 + p), x, s3);
            }

            if (p >= k)
            {
                break;
            }

            // The last k % 16 terms, as in Tile.
            Vector512<float> mask = LanesBelow(k - p);
            a = Tail(a, p, mask, tails + 0);
            b0 = Tail(b0, p, mask, tails + 16);
            b1 = Tail(b1, p, mask, tails + 32);
            b2 = Tail(b2, p, mask, tails + 48);
            b3 = Tail(b3, p, mask, tails + 64);
            end = p + 16;
        }

        // The tree of Reduce16 for four inputs: halves, quarters (quarter q holds input q's 4
        // partial sums), then lanes l + 2 and l + 1 inside each quarter.
        Vector512<float> q = Quarters(Halves(s0, s1), Halves(s2, s3));
        Vector512<float> pairs = q + Avx512F.Shuffle(q, q, 0xEE);
        Vector512<float> sums = pairs + Avx512F.Shuffle(pairs, pairs, 0x55);
        return Avx512F.PermuteVar16x32(sums, Vector512.Create(0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).GetLower().GetLower();
    }

    /// <summary>
    /// Sums each of 16 vectors across its lanes, all at once: the result's lane 4 (i % 4) + i / 4
    /// holds the sum of input i. Every input is reduced by the same tree: lane l + lane l + 8, then
    /// + 4, + 2, + 1 (each step pairs two inputs in one shuffle-and-add).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Reduce16(
        Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3,
        Vector512<float> v4, Vector512<float> v5, Vector512<float> v6, Vector512<float> v7,
        Vector512<float> v8, Vector512<float> v9, Vector512<float> v10, Vector512<float> v11,
        Vector512<float> v12, Vector512<float> v13, Vector512<float> v14, Vector512<float> v15)
    {
        // Lanes l and l + 8 (the 256-bit halves): two inputs' 8 partial sums per vector.
        Vector512<float> h0 = Halves(v0, v1);
        Vector512<float> h1 = Halves(v2, v3);
        Vector512<float> h2 = Halves(v4, v5);
        Vector512<float> h3 = Halves(v6, v7);
        Vector512<float> h4 = Halves(v8, v9);
        Vector512<float> h5 = Halves(v10, v11);
        Vector512<float> h6 = Halves(v12, v13);
        Vector512<float> h7 = Halves(v14, v15);

        // Lanes l and l + 4 (128-bit quarters): quarter q of q0 holds input q's 4 partial sums.
        Vector512<float> q0 = Quarters(h0, h1);
        Vector512<float> q1 = Quarters(h2, h3);
        Vector512<float> q2 = Quarters(h4, h5);
        Vector512<float> q3 = Quarters(h6, h7);

        // Lanes l and l + 2, then l and l + 1, inside each quarter.
        Vector512<float> pairs0 = Avx512F.Shuffle(q0, q1, 0x44) + Avx512F.Shuffle(q0, q1, 0xEE);
        Vector512<float> pairs1 = Avx512F.Shuffle(q2, q3, 0x44) + Avx512F.Shuffle(q2, q3, 0xEE);
        return Avx512F.Shuffle(pairs0, pairs1, 0x88) + Avx512F.Shuffle(pairs0, pairs1, 0xDD);
    }

    /// <summary>[x.lo + x.hi, y.lo + y.hi] by 256-bit halves: lane l plus lane l + 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Halves(Vector512<float> x, Vector512<float> y) =>
        Avx512F.Shuffle4x128(x, y, 0x44) + Avx512F.Shuffle4x128(x, y, 0xEE);

    /// <summary>From [x0 x1 | x2 x3] and [y0 y1 | y2 y3] (128-bit quarters): [x0+x1, x2+x3, y0+y1, y2+y3].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Quarters(Vector512<float> x, Vector512<float> y) =>
        Avx512F.Shuffle4x128(x, y, 0x88) + Avx512F.Shuffle4x128(x, y, 0xDD);

    /// <summary>Row <paramref name="index"/> of <paramref name="count"/> rows <paramref name="stride"/> apart, or the last row past the edge.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Row(float* first, nint stride, int index, int count) => first + (Math.Min(index, count - 1) * stride);

    /// <summary>
    /// All lanes when 16 or more are left, else the first <paramref name="count"/> (none when it
    /// is 0 or less); <see cref="ThinGemm"/> masks its rows with it too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> LanesBelow(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>
    /// Copies the lanes of <paramref name="mask"/> from <paramref name="row"/> + <paramref name="p"/>
    /// (touching no memory past them) to <paramref name="slot"/>, zeros the rest of its 16 floats,
    /// and returns the pointer that reads the slot at offset <paramref name="p"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Tail(float* row, int p, Vector512<float> mask, float* slot)
    {
        Avx512F.MaskLoad(row + p, mask, Vector512<float>.Zero).Store(slot);
        return slot - p;
    }

    private static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;

    /// <summary>The runs of tiles of one parallel call.</summary>
    private sealed class Job : TileRuns
    {
        private GemmArguments _args;
        private bool _narrow;

        public void Set(in GemmArguments args, bool narrow)
        {
            _args = args;
            _narrow = narrow;
        }

        protected override void RunTiles(int firstTile, int endTile) => Run(_args, _narrow, firstTile, endTile);

        protected override void Clear() => _args = default;
    }
}
