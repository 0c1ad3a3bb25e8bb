using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyNet.Kernels;

/// <summary>
/// C = alpha * A * Bᵀ + beta * C on AVX2 for a narrow C (1 to 15 columns, such as a 10-class
/// output layer) with at least 8 rows, A plain and B stored n x k (a Linear layer's forward
/// pass): <see cref="NarrowGemm"/>'s layout on 256-bit vectors, so that every lane of every
/// multiply-add does useful work where the blocked path's 16-column tiles would compute 16
/// columns for 10.
/// </summary>
/// <remarks>
/// <para>
/// A vector holds two columns of C x 4 consecutive steps of k: its low half column 2j's terms,
/// its high half column 2j + 1's. B is packed once per call into that layout (ceil(n / 2) pairs
/// of columns, zero past k and past n). One broadcast load of 4 consecutive floats of a row of
/// A, against each pair's vector, then adds 4 steps of k to every column of that row. A tile is
/// 2 rows x up to 5 pairs (10 columns): 10 vectors of sums, and per step 2 broadcasts and 5
/// loads of B for 10 multiply-adds, within AVX2's 16 registers. Wider C (6 to 8 pairs) takes two
/// passes over the rows.
/// </para>
/// <para>
/// Lane l of a half sums the terms p = l, l + 4, l + 8, ... in order (when k is not a multiple
/// of 4, the last step's terms first), and the 4 lanes are then added by a fixed tree
/// ((l0 + l1) + (l2 + l3)). The order depends only on k, never on the thread count, but differs
/// from the blocked kernels' in the last bits.
/// </para>
/// <para>
/// Why a source of its own rather than <see cref="NarrowGemm"/> over the SIMD abstraction: the
/// 512-bit tile's 20 accumulators need AVX-512's 32 registers (here a tile has half the rows and
/// half the steps), and the sums are reduced and written back with permutes across two whole
/// vectors (<c>vpermt2ps</c>) that AVX2 lacks, where this path uses horizontal adds within
/// 128-bit lanes.
/// </para>
/// </remarks>
internal static unsafe class NarrowGemm256
{
    /// <summary>Rows of C per tile.</summary>
    internal const int TileRows = 2;

    /// <summary>Steps of k in each half of a vector.</summary>
    private const int Steps = 4;

    /// <summary>Floats in one packed vector of B: a pair of columns x <see cref="Steps"/>.</summary>
    private const int Width = 8;

    /// <summary>Runs on this hardware: AVX2 with FMA.</summary>
    public static bool IsSupported => Vector256Simd.IsSupported;

    /// <summary>
    /// True for A * Bᵀ (A plain, B stored n x k) with 1 to 15 columns, at least 8 rows and k at
    /// least 4 (a step reads 4 floats of a row of A, the last step the row's last 4). With 1 to 3
    /// columns a pass has one or two pairs, whose tile is bound by its loads (3 or 4 for 2 or 4
    /// multiply-adds) but leaves no lane idle, where the blocked path's narrowest tile computes 8
    /// columns.
    /// </summary>
    public static bool Suits(int m, int n, int k, bool transposeA, bool transposeB) =>
        !transposeA && transposeB && n < 2 * Vector256<float>.Count && m >= 8 && k >= Steps;

    /// <summary>Packs B, then runs the row tiles on up to <paramref name="maxThreads"/> threads.</summary>
    public static void Multiply(in GemmArguments args, int maxThreads) => NarrowTiles<Tiles>.Multiply(args, maxThreads);

    /// <summary>
    /// Packs B: for each 4 steps of k, one vector per pair of columns, column 2j's 4 floats then
    /// column 2j + 1's; zero past k. A missing last column (odd n) is zero: its sums are never
    /// written, and zeros keep them from being anything slow (denormals). Pair after pair, each
    /// reading two rows of the stored B in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(in GemmArguments args, int pairs, int steps, float* packed)
    {
        int k = args.K;
        int whole = k / Steps;
        nint stride = pairs * Width;

        // The partial step, stored after the whole ones (Tile runs it first), covers each row's
        // last 4 floats of A; its lanes that a whole step also covers are zeroed here.
        Vector128<float> fresh = Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(((whole + 1) * Steps) - k)).AsSingle();
        for (int pair = 0; pair < pairs; pair++)
        {
            float* even = args.B + (2 * pair * args.ColumnStrideB);
            float* odd = even + args.ColumnStrideB;
            bool hasOdd = (2 * pair) + 1 < args.N;
            float* target = packed + (pair * Width);
            for (int step = 0; step < whole; step++)
            {
                Vector128.Load(even + (step * Steps)).Store(target + (step * stride));
                (hasOdd ? Vector128.Load(odd + (step * Steps)) : Vector128<float>.Zero).Store(target + (step * stride) + Steps);
            }

            if (whole < steps)
            {
                float* last = target + (whole * stride);
                Vector128.ConditionalSelect(fresh, Vector128.Load(even + k - Steps), Vector128<float>.Zero).Store(last);
                (hasOdd ? Vector128.ConditionalSelect(fresh, Vector128.Load(odd + k - Steps), Vector128<float>.Zero) : Vector128<float>.Zero).Store(last + Steps);
            }
        }
    }

    /// <summary>
    /// One pass of a tile: 2 rows of A against <typeparamref name="TPairs"/> pairs of packed
    /// columns, over all of k, then the sums reduced, times alpha, and written to C
    /// (<paramref name="scratch"/>: 16 floats for the edges).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TPairs>(in NarrowPass pass, float* scratch)
        where TPairs : struct, NarrowPairs.ICount
    {
        int k = pass.K;
        float* a0 = pass.Rows;
        float* a1 = a0 + pass.RowStride;
        float* packed = pass.Packed;
        nint packedStride = pass.PackedStride;

        // s(r)(j): row r, pair j.
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default, s04 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default, s14 = default;

        // A partial step (k % 4 terms) comes first: it reads A's last 4 floats of each row,
        // whose first 4 - k % 4 the packed B (its last step) zeroes; no copy and nothing past a
        // row. The loop then takes the whole steps with one index.
        int whole = k / Steps;
        if (whole * Steps < k)
        {
            Step<TPairs>(ref s00, ref s01, ref s02, ref s03, ref s04, ref s10, ref s11, ref s12, ref s13, ref s14, a0, a1, k - Steps, packed + (whole * packedStride));
        }

        nint end = whole * Steps;
        for (nint p = 0; p < end; p += Steps)
        {
            Step<TPairs>(ref s00, ref s01, ref s02, ref s03, ref s04, ref s10, ref s11, ref s12, ref s13, ref s14, a0, a1, p, packed);
            packed += packedStride;
        }

        // Every sum is reduced before anything is written, and the writes are inlined, so the
        // products stay in registers.
        Vector256<float> alpha = Vector256.Create(pass.Alpha);
        Vector256<float> first0 = alpha * FirstEight<TPairs>(s00, s01, s02, s03);
        Vector256<float> first1 = alpha * FirstEight<TPairs>(s10, s11, s12, s13);
        Vector128<float> last = TPairs.Count > 4 ? Vector128.Create(pass.Alpha) * LastTwo(s04, s14) : default;
        Write<TPairs>(pass, first0, first1, last, scratch);
    }

    /// <summary>
    /// One step of k for a tile: the 4 floats at <paramref name="offset"/> of each of the 2 rows
    /// of A against each pair's packed vector at <paramref name="packed"/>, added to the sums
    /// s(row)(pair); 2 broadcasts and up to 5 loads for up to 10 multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TPairs>(
        ref Vector256<float> s00, ref Vector256<float> s01, ref Vector256<float> s02, ref Vector256<float> s03, ref Vector256<float> s04,
        ref Vector256<float> s10, ref Vector256<float> s11, ref Vector256<float> s12, ref Vector256<float> s13, ref Vector256<float> s14,
        float* a0,
        float* a1,
        nint offset,
        float* packed)
        where TPairs : struct, NarrowPairs.ICount
    {
        Vector256<float> x0 = Avx.BroadcastVector128ToVector256(a0 + offset);
        Vector256<float> x1 = Avx.BroadcastVector128ToVector256(a1 + offset);
        Vector256<float> b = Vector256.Load(packed);
        s00 = Vector256.FusedMultiplyAdd(x0, b, s00);
        s10 = Vector256.FusedMultiplyAdd(x1, b, s10);
        if (TPairs.Count > 1)
        {
            b = Vector256.Load(packed + Width);
            s01 = Vector256.FusedMultiplyAdd(x0, b, s01);
            s11 = Vector256.FusedMultiplyAdd(x1, b, s11);
        }

        if (TPairs.Count > 2)
        {
            b = Vector256.Load(packed + (2 * Width));
            s02 = Vector256.FusedMultiplyAdd(x0, b, s02);
            s12 = Vector256.FusedMultiplyAdd(x1, b, s12);
        }

        if (TPairs.Count > 3)
        {
            b = Vector256.Load(packed + (3 * Width));
            s03 = Vector256.FusedMultiplyAdd(x0, b, s03);
            s13 = Vector256.FusedMultiplyAdd(x1, b, s13);
        }

        if (TPairs.Count > 4)
        {
            b = Vector256.Load(packed + (4 * Width));
            s04 = Vector256.FusedMultiplyAdd(x0, b, s04);
            s14 = Vector256.FusedMultiplyAdd(x1, b, s14);
        }
    }

    /// <summary>
    /// One row's sums of columns 0-7 of the pass, in order, from the partial sums of pairs 0-3
    /// (zero past the pass's pairs): each half's 4 lanes added as (l0 + l1) + (l2 + l3).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> FirstEight<TPairs>(Vector256<float> pair0, Vector256<float> pair1, Vector256<float> pair2, Vector256<float> pair3)
        where TPairs : struct, NarrowPairs.ICount
    {
        // Low halves: columns 0, 0, 2, 2 (then 4, 4, 6, 6); high halves: 1, 1, 3, 3 (5, 5, 7, 7).
        Vector256<float> sums01 = Avx.HorizontalAdd(pair0, TPairs.Count > 1 ? pair1 : default);
        Vector256<float> sums23 = TPairs.Count > 2 ? Avx.HorizontalAdd(pair2, TPairs.Count > 3 ? pair3 : default) : default;

        // Low half: columns 0, 2, 4, 6; high half: 1, 3, 5, 7.
        Vector256<float> sums = Avx.HorizontalAdd(sums01, sums23);
        return Avx2.PermuteVar8x32(sums, Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7));
    }

    /// <summary>Columns 8 and 9 of the pass for both rows (row 0's two, then row 1's two), from pair 4's partial sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> LastTwo(Vector256<float> row0, Vector256<float> row1)
    {
        // Low half: row 0's column 8, 8, row 1's 8, 8; high half: the same of column 9.
        Vector256<float> pairs = Avx.HorizontalAdd(row0, row1);

        // Low half: row 0's column 8, row 1's 8 (twice each); high half: column 9.
        Vector256<float> sums = Avx.HorizontalAdd(pairs, pairs);
        return Avx2.PermuteVar8x32(sums, Vector256.Create(0, 4, 1, 5, 0, 0, 0, 0)).GetLower();
    }

    /// <summary>
    /// Writes the pass's columns of the tile's rows (from SkipRows) with the micro-kernels' rule:
    /// the product when beta is 0 (C not read), else fma(beta, C, product). A row's first 8
    /// columns go by one 256-bit store, the last two by a 64-bit one; narrower passes and a last
    /// tile's overlap go element by element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write<TPairs>(in NarrowPass pass, Vector256<float> row0, Vector256<float> row1, Vector128<float> last, float* scratch)
        where TPairs : struct, NarrowPairs.ICount
    {
        int columns = pass.Columns;
        if (pass.SkipRows != 0 || columns < 8 || (columns != 8 && columns != 10))
        {
            row0.Store(scratch);
            row1.Store(scratch + Width);
            int skip = pass.SkipRows;
            DotProductGemm.WriteScalar(
                scratch + (Width * skip), pass.C + (skip * pass.Ldc), pass.Ldc, pass.Beta, TileRows - skip, Math.Min(columns, Width), rowStep: Width, columnStep: 1);
            if (columns > Width)
            {
                last.Store(scratch);
                DotProductGemm.WriteScalar(
                    scratch + (2 * skip), pass.C + (skip * pass.Ldc) + Width, pass.Ldc, pass.Beta, TileRows - skip, columns - Width, rowStep: 2, columnStep: 1);
            }

            return;
        }

        float* c0 = pass.C;
        float* c1 = c0 + pass.Ldc;
        float beta = pass.Beta;
        if (beta == 0f)
        {
            row0.Store(c0);
            row1.Store(c1);
        }
        else
        {
            Vector256<float> betas = Vector256.Create(beta);
            Vector256.FusedMultiplyAdd(betas, Vector256.Load(c0), row0).Store(c0);
            Vector256.FusedMultiplyAdd(betas, Vector256.Load(c1), row1).Store(c1);
        }

        if (TPairs.Count > 4)
        {
            // Row 0's columns 8 and 9 are lanes 0 and 1, row 1's lanes 2 and 3.
            WritePair(c0 + Width, last, beta);
            WritePair(c1 + Width, Sse.MoveHighToLow(last, last), beta);
        }
    }

    /// <summary>Writes the first 2 lanes of <paramref name="products"/> to a row of C by a 64-bit store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WritePair(float* target, Vector128<float> products, float beta) =>
        Sse.StoreLow(target, beta == 0f ? products : Vector128.FusedMultiplyAdd(Vector128.Create(beta), Sse2.LoadScalarVector128((double*)target).AsSingle(), products));

    /// <summary>This path's tile, for <see cref="NarrowTiles{TPath}"/>.</summary>
    private readonly struct Tiles : INarrowPath
    {
        public static int TileRows => NarrowGemm256.TileRows;

        public static int Width => NarrowGemm256.Width;

        public static void PackB(in GemmArguments args, int pairs, int steps, float* packed) => NarrowGemm256.PackB(args, pairs, steps, packed);

        public static void Tile<TPairs>(in NarrowPass pass, float* scratch)
            where TPairs : struct, NarrowPairs.ICount => NarrowGemm256.Tile<TPairs>(pass, scratch);
    }
}
