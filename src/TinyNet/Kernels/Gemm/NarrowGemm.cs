using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyNet.Kernels;

/// <summary>
/// C = alpha * A * Bᵀ + beta * C on AVX-512 for a narrow C (4 to 15 columns, such as a 10-class
/// output layer) with at least 8 rows, A plain and B stored n x k (a Linear layer's forward
/// pass): every lane of every multiply-add does useful work, and few sums are left to add
/// across lanes.
/// </summary>
/// <remarks>
/// <para>
/// A vector holds two columns of C x 8 consecutive steps of k: its low half column 2j's terms,
/// its high half column 2j + 1's. B is packed once per call into that layout (ceil(n / 2) pairs
/// of columns, zero past k and past n). One broadcast load of 8 consecutive floats of a row of
/// A, against each pair's vector, then adds 8 steps of k to every column of that row. A tile is
/// 4 rows x up to 5 pairs (10 columns): 20 vectors of sums, and per step 4 broadcasts and 5
/// loads of B for 20 multiply-adds. Wider C (up to 8 pairs) takes two passes over the rows.
/// </para>
/// <para>
/// Against one dot product per element of C (16 partial sums each; <see cref="DotProductGemm"/>,
/// which took these shapes before), each sum here has 8 partial sums, and a tile adds them
/// across lanes for 40 elements at once: about 60 shuffles, additions and scalings, where a
/// dot-product tile spends 45 on 16 elements; a tile's start and write-back are spread over 40
/// elements instead of 16 (docs/gemm.md gives the figures).
/// </para>
/// <para>
/// Lane l of a half sums the terms p = l, l + 8, l + 16, ... in order (when k is not a multiple
/// of 8, the last step's terms first), and the 8 lanes are then added by a fixed tree (l + 4,
/// then + 2, then + 1). The order depends only on k, never on the thread count, but differs
/// from the blocked kernels' in the last bits.
/// </para>
/// </remarks>
internal static unsafe partial class NarrowGemm
{
    /// <summary>Rows of C per tile.</summary>
    internal const int TileRows = 4;

    /// <summary>Steps of k in each half of a vector.</summary>
    private const int Steps = 8;

    /// <summary>
    /// Narrower products stay on <see cref="DotProductGemm"/>: with two pairs a tile's 4
    /// broadcasts feed only 8 multiply-adds, and it ties at n = 4. There is no tile of one
    /// pair: a pass has 2 to 5, which needs n of at least 3.
    /// </summary>
    internal const int MinColumns = 4;

    /// <summary>Floats in one packed vector of B: a pair of columns x <see cref="Steps"/>.</summary>
    private const int Width = 16;

    /// <summary>Runs on this hardware: AVX-512.</summary>
    public static bool IsSupported => Vector512Simd.IsSupported;

    /// <summary>
    /// True for A * Bᵀ (A plain, B stored n x k) with 4 to 15 columns, at least 8 rows and k at
    /// least 8 (a step reads 8 floats of a row of A, the last step the row's last 8).
    /// </summary>
    public static bool Suits(int m, int n, int k, bool transposeA, bool transposeB) =>
        !transposeA && transposeB && n >= MinColumns && n < DotProductGemm.NarrowColumns && m >= DotProductGemm.ShortRows && k >= Steps;

    /// <summary>Packs B, then runs the row tiles on up to <paramref name="maxThreads"/> threads.</summary>
    public static void Multiply(in GemmArguments args, int maxThreads) => NarrowTiles<Tiles>.Multiply(args, maxThreads);

    /// <summary>
    /// Packs B: for each 8 steps of k, one vector per pair of columns, column 2j's 8 floats then
    /// column 2j + 1's; zero past k. A missing last column (odd n) is zero: its sums are never
    /// written, and zeros keep them from being anything slow (denormals). Pair after pair,
    /// each reading two rows of the stored B in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(in GemmArguments args, int pairs, int steps, float* packed)
    {
        int k = args.K;
        int whole = k / Steps;
        nint stride = pairs * Width;

        // The partial step, stored after the whole ones (Tile runs it first), covers each row's
        // last 8 floats of A; its lanes that a whole step also covers are zeroed here.
        Vector256<float> fresh = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(((whole + 1) * Steps) - k)).AsSingle();
        for (int pair = 0; pair < pairs; pair++)
        {
            float* even = args.B + (2 * pair * args.ColumnStrideB);
            float* odd = even + args.ColumnStrideB;
            bool hasOdd = (2 * pair) + 1 < args.N;
            float* target = packed + (pair * Width);
            if (hasOdd)
            {
                for (int step = 0; step < whole; step++)
                {
                    Vector256.Load(even + (step * Steps)).Store(target + (step * stride));
                    Vector256.Load(odd + (step * Steps)).Store(target + (step * stride) + Steps);
                }
            }
            else
            {
                for (int step = 0; step < whole; step++)
                {
                    Vector256.Load(even + (step * Steps)).Store(target + (step * stride));
                    Vector256<float>.Zero.Store(target + (step * stride) + Steps);
                }
            }

            if (whole < steps)
            {
                float* last = target + (whole * stride);
                Vector256.ConditionalSelect(fresh, Vector256.Load(even + k - Steps), Vector256<float>.Zero).Store(last);
                (hasOdd ? Vector256.ConditionalSelect(fresh, Vector256.Load(odd + k - Steps), Vector256<float>.Zero) : Vector256<float>.Zero).Store(last + Steps);
            }
        }
    }

    /// <summary>
    /// One pass of a tile: 4 rows of A against <typeparamref name="TPairs"/> pairs of packed
    /// columns, over all of k, then the sums reduced, times alpha, and written to C
    /// (<paramref name="scratch"/>: 16 floats for the edges).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TPairs>(in NarrowPass pass, float* scratch)
        where TPairs : struct, NarrowPairs.ICount
    {
        int k = pass.K;
        nint rowStride = pass.RowStride;
        float* a0 = pass.Rows;
        float* a1 = a0 + rowStride;
        float* a2 = a1 + rowStride;
        float* a3 = a2 + rowStride;
        float* packed = pass.Packed;
        nint packedStride = pass.PackedStride;

        // s(r)(j): row r, pair j.
        Vector512<float> s00 = default, s10 = default, s20 = default, s30 = default;
        Vector512<float> s01 = default, s11 = default, s21 = default, s31 = default;
        Vector512<float> s02 = default, s12 = default, s22 = default, s32 = default;
        Vector512<float> s03 = default, s13 = default, s23 = default, s33 = default;
        Vector512<float> s04 = default, s14 = default, s24 = default, s34 = default;

        // A partial step (k % 8 terms) comes first: it reads A's last 8 floats of each row,
        // whose first 8 - k % 8 the packed B (its last step) zeroes; no copy and nothing past a
        // row. The loop then takes the whole steps with one index and no clamp: 32 instructions
        // a step for 20 multiply-adds (10 cycles on two FMA ports).
        int whole = k / Steps;
        if (whole * Steps < k)
        {
            Step<TPairs>(
                ref s00, ref s10, ref s20, ref s30, ref s01, ref s11, ref s21, ref s31, ref s02, ref s12,
                ref s22, ref s32, ref s03, ref s13, ref s23, ref s33, ref s04, ref s14, ref s24, ref s34,
                a0, a1, a2, a3, k - Steps, packed + (whole * packedStride));
        }

        nint end = whole * Steps;
        for (nint p = 0; p < end; p += Steps)
        {
            Step<TPairs>(
                ref s00, ref s10, ref s20, ref s30, ref s01, ref s11, ref s21, ref s31, ref s02, ref s12,
                ref s22, ref s32, ref s03, ref s13, ref s23, ref s33, ref s04, ref s14, ref s24, ref s34,
                a0, a1, a2, a3, p, packed);
            packed += packedStride;
        }

        // Pairs 0 and 1 give columns 0-3 of the 4 rows, pairs 2 and 3 columns 4-7, pair 4
        // columns 8-9. Every sum is reduced before anything is written, and the writes are
        // inlined: with a call between them the JIT sank the reductions past it and kept their
        // inputs in memory through the loop.
        Vector512<float> alpha = Vector512.Create(pass.Alpha);
        Vector512<float> sums01 = PairSums(s00, s10, s20, s30);
        Vector512<float> sums23 = PairSums(s01, s11, s21, s31);
        Vector512<float> sums45 = TPairs.Count > 2 ? PairSums(s02, s12, s22, s32) : default;
        Vector512<float> sums67 = TPairs.Count > 3 ? PairSums(s03, s13, s23, s33) : default;
        Vector512<float> sums89 = TPairs.Count > 4 ? PairSums(s04, s14, s24, s34) : default;
        Vector512<float> first = alpha * Halve(sums01, sums23);
        Vector512<float> second = TPairs.Count > 2 ? alpha * Halve(sums45, sums67) : default;
        Vector512<float> third = TPairs.Count > 4 ? alpha * Halve(sums89, default) : default;
        if (pass.Beta == 0f && pass.SkipRows == 0 && pass.Columns == 2 * TPairs.Count)
        {
            Store<TPairs>(pass.C, pass.Ldc, first, second, third);
            return;
        }

        Write(pass, ByRow(first), 0, scratch);
        if (TPairs.Count > 2)
        {
            Write(pass, ByRow(second), 4, scratch);
        }

        if (TPairs.Count > 4)
        {
            Write(pass, ByRow(third), 8, scratch);
        }
    }

    /// <summary>
    /// One step of k for a tile: the 8 floats at <paramref name="offset"/> of each of the 4 rows
    /// of A against each pair's packed vector at <paramref name="packed"/>, added to the sums
    /// s(row)(pair); 4 broadcasts and up to 5 loads for up to 20 multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TPairs>(
        ref Vector512<float> s00, ref Vector512<float> s10, ref Vector512<float> s20, ref Vector512<float> s30,
        ref Vector512<float> s01, ref Vector512<float> s11, ref Vector512<float> s21, ref Vector512<float> s31,
        ref Vector512<float> s02, ref Vector512<float> s12, ref Vector512<float> s22, ref Vector512<float> s32,
        ref Vector512<float> s03, ref Vector512<float> s13, ref Vector512<float> s23, ref Vector512<float> s33,
        ref Vector512<float> s04, ref Vector512<float> s14, ref Vector512<float> s24, ref Vector512<float> s34,
        float* a0,
        float* a1,
        float* a2,
        float* a3,
        nint offset,
        float* packed)
        where TPairs : struct, NarrowPairs.ICount
    {
        Vector512<float> x0 = Broadcast(a0 + offset);
        Vector512<float> x1 = Broadcast(a1 + offset);
        Vector512<float> x2 = Broadcast(a2 + offset);
        Vector512<float> x3 = Broadcast(a3 + offset);
        Vector512<float> b = Vector512.Load(packed);
        s00 = Vector512.FusedMultiplyAdd(x0, b, s00);
        s10 = Vector512.FusedMultiplyAdd(x1, b, s10);
        s20 = Vector512.FusedMultiplyAdd(x2, b, s20);
        s30 = Vector512.FusedMultiplyAdd(x3, b, s30);
        b = Vector512.Load(packed + Width);
        s01 = Vector512.FusedMultiplyAdd(x0, b, s01);
        s11 = Vector512.FusedMultiplyAdd(x1, b, s11);
        s21 = Vector512.FusedMultiplyAdd(x2, b, s21);
        s31 = Vector512.FusedMultiplyAdd(x3, b, s31);
        if (TPairs.Count > 2)
        {
            b = Vector512.Load(packed + (2 * Width));
            s02 = Vector512.FusedMultiplyAdd(x0, b, s02);
            s12 = Vector512.FusedMultiplyAdd(x1, b, s12);
            s22 = Vector512.FusedMultiplyAdd(x2, b, s22);
            s32 = Vector512.FusedMultiplyAdd(x3, b, s32);
        }

        if (TPairs.Count > 3)
        {
            b = Vector512.Load(packed + (3 * Width));
            s03 = Vector512.FusedMultiplyAdd(x0, b, s03);
            s13 = Vector512.FusedMultiplyAdd(x1, b, s13);
            s23 = Vector512.FusedMultiplyAdd(x2, b, s23);
            s33 = Vector512.FusedMultiplyAdd(x3, b, s33);
        }

        if (TPairs.Count > 4)
        {
            b = Vector512.Load(packed + (4 * Width));
            s04 = Vector512.FusedMultiplyAdd(x0, b, s04);
            s14 = Vector512.FusedMultiplyAdd(x1, b, s14);
            s24 = Vector512.FusedMultiplyAdd(x2, b, s24);
            s34 = Vector512.FusedMultiplyAdd(x3, b, s34);
        }
    }

    /// <summary>
    /// Quarters the partial sums of one pair of columns (2j, 2j + 1) for 4 rows: 128-bit quarter
    /// q holds column 2j + q % 2, two partial sums of row q / 2 in lanes 0-1 and two of row
    /// 2 + q / 2 in lanes 2-3.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> PairSums(Vector512<float> row0, Vector512<float> row1, Vector512<float> row2, Vector512<float> row3)
    {
        // Lanes l and l + 4 of each half (quarters 0 + 1, 2 + 3): quarter q of q01 holds four
        // partial sums of row q / 2's column 2j + q % 2.
        Vector512<float> q01 = DotProductGemm.Quarters(row0, row1);
        Vector512<float> q23 = DotProductGemm.Quarters(row2, row3);

        // Lanes l and l + 2 inside each quarter, rows 0-1 beside rows 2-3.
        return Avx512F.Shuffle(q01, q23, 0x44) + Avx512F.Shuffle(q01, q23, 0xEE);
    }

    /// <summary>
    /// The last halving of two pairs' <see cref="PairSums"/> (pair j's and pair j + 1's): row r,
    /// column c of the four (2j .. 2j + 3) is in lane 4q + e, with q = 2 (r % 2) + c % 2 and
    /// e = 2 (c / 2) + r / 2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Halve(Vector512<float> first, Vector512<float> second) =>
        Avx512F.Shuffle(first, second, 0x88) + Avx512F.Shuffle(first, second, 0xDD);

    /// <summary><see cref="Halve"/>d sums in row order: row r's four columns in lanes 4r .. 4r + 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ByRow(Vector512<float> sums) =>
        Avx512F.PermuteVar16x32(sums, Vector512.Create(0, 4, 2, 6, 8, 12, 10, 14, 1, 5, 3, 7, 9, 13, 11, 15));

    /// <summary>The 8 floats at <paramref name="a"/> in both halves of a vector: one load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Broadcast(float* a) => Avx512F.BroadcastVector256ToVector512((double*)a).AsSingle();

    /// <summary>This path's tile, for <see cref="NarrowTiles{TPath}"/>.</summary>
    private readonly struct Tiles : INarrowPath
    {
        public static int TileRows => NarrowGemm.TileRows;

        public static int Width => NarrowGemm.Width;

        public static void PackB(in GemmArguments args, int pairs, int steps, float* packed) => NarrowGemm.PackB(args, pairs, steps, packed);

        public static void Tile<TPairs>(in NarrowPass pass, float* scratch)
            where TPairs : struct, NarrowPairs.ICount => NarrowGemm.Tile<TPairs>(pass, scratch);
    }
}
