using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyNet.Kernels;

/// <summary>
/// C = alpha * Aᵀ * B + beta * C on AVX-512 for a C of at most 3 columns, such as the weight
/// gradient of a layer with 2 inputs (dW = dYᵀ X, the sample's first layer). The blocked path
/// computes such a C in 16-column tiles, 13 or more of them padding, and merges every tile from
/// the side; here the rows of the stored A (adjacent along m) are the vectors: a tile is 64 rows
/// of C, four vectors per column, and each step of k adds a row of A times the step's 1-3 floats
/// of B, broadcast. Nothing is packed, and the sums go to C's rows from registers, interleaved
/// by permutes; a whole tile loads A without masks, which would take a port the multiply-adds
/// need.
/// </summary>
/// <remarks>
/// Each element is summed in order with fused multiply-adds over each block of
/// <see cref="GemmPlan.DepthBlock"/> steps of k and added to C as the blocked kernels
/// add theirs (<c>alpha * sum</c> or <c>fma(beta, C, alpha * sum)</c> for the first block,
/// <c>C + alpha * sum</c> for later ones), so the results are bitwise theirs. Rows past the edge
/// of a tile are masked off: not read, not written.
/// </remarks>
internal static unsafe class ThinGemm
{
    /// <summary>The widest C this path takes.</summary>
    internal const int MaxColumns = 3;

    /// <summary>The rows of C in a tile: four vectors per column, so 4-12 independent sums a step.</summary>
    private const int TileRows = 64;

    private const int Width = 16;

    /// <summary>Runs on this hardware: AVX-512, for the masked loads.</summary>
    public static bool IsSupported => Vector512Simd.IsSupported;

    /// <summary>True for Aᵀ * B (or Aᵀ * Bᵀ) with at most <see cref="MaxColumns"/> columns.</summary>
    public static bool Suits(int n, bool transposeA) => transposeA && n <= MaxColumns;

    /// <summary>Runs the whole product on up to <paramref name="maxThreads"/> threads.</summary>
    public static void Multiply(in GemmArguments args, int maxThreads) => ThinTiles<Tiles>.Multiply(args, maxThreads);

    /// <summary>
    /// Adds alpha times the sums over steps [pc, pc + kc) of rows [row, row + rows) to C by the
    /// micro-kernels' rule: four vectors of A per step (masked past the last row: no memory past
    /// the tile's rows is read), each times the step's floats of B; then the sums, one vector per
    /// column and 16 rows, are interleaved into C's rows in registers (see <see cref="Write"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<TColumns, TTile>(in GemmArguments args, int row, int rows, int pc, int kc, float beta)
        where TColumns : struct, ThinShapes.IColumns
        where TTile : struct, ThinShapes.ITileRows
    {
        Vector512<float> m0 = DotProductGemm.LanesBelow(rows), m1 = DotProductGemm.LanesBelow(rows - Width);
        Vector512<float> m2 = DotProductGemm.LanesBelow(rows - (2 * Width)), m3 = DotProductGemm.LanesBelow(rows - (3 * Width));
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default;
        nint aStep = args.ColumnStrideA;
        nint bStep = args.RowStrideB;
        nint bColumn = args.ColumnStrideB;
        float* a = args.A + row + (pc * aStep);
        float* b = args.B + (pc * bStep);
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> a0 = Load<TTile>(a, m0);
            Vector512<float> a1 = Load<TTile>(a + Width, m1);
            Vector512<float> a2 = Load<TTile>(a + (2 * Width), m2);
            Vector512<float> a3 = Load<TTile>(a + (3 * Width), m3);
            Vector512<float> x = Vector512.Create(b[0]);
            s00 = Vector512.FusedMultiplyAdd(a0, x, s00);
            s01 = Vector512.FusedMultiplyAdd(a1, x, s01);
            s02 = Vector512.FusedMultiplyAdd(a2, x, s02);
            s03 = Vector512.FusedMultiplyAdd(a3, x, s03);
            if (TColumns.Count > 1)
            {
                x = Vector512.Create(b[bColumn]);
                s10 = Vector512.FusedMultiplyAdd(a0, x, s10);
                s11 = Vector512.FusedMultiplyAdd(a1, x, s11);
                s12 = Vector512.FusedMultiplyAdd(a2, x, s12);
                s13 = Vector512.FusedMultiplyAdd(a3, x, s13);
            }

            if (TColumns.Count > 2)
            {
                x = Vector512.Create(b[2 * bColumn]);
                s20 = Vector512.FusedMultiplyAdd(a0, x, s20);
                s21 = Vector512.FusedMultiplyAdd(a1, x, s21);
                s22 = Vector512.FusedMultiplyAdd(a2, x, s22);
                s23 = Vector512.FusedMultiplyAdd(a3, x, s23);
            }

            a += aStep;
            b += bStep;
        }

        // C's rows are N = Ldc floats, so the tile is rows * N floats in a row from c; each
        // 16 rows of it are N vectors, drawn from the same 16 rows of every column's sums.
        Debug.Assert(args.Ldc == args.N, "C's rows are adjacent.");
        Vector512<float> alpha = Vector512.Create(args.Alpha);
        float* c = args.C + (row * args.Ldc);
        int count = rows * TColumns.Count;
        Group<TColumns>(alpha * s00, alpha * s10, alpha * s20, c, count, beta);
        Group<TColumns>(alpha * s01, alpha * s11, alpha * s21, c + (Width * TColumns.Count), count - (Width * TColumns.Count), beta);
        Group<TColumns>(alpha * s02, alpha * s12, alpha * s22, c + (2 * Width * TColumns.Count), count - (2 * Width * TColumns.Count), beta);
        Group<TColumns>(alpha * s03, alpha * s13, alpha * s23, c + (3 * Width * TColumns.Count), count - (3 * Width * TColumns.Count), beta);
    }

    /// <summary>
    /// 16 floats of a row of A: a plain load in a whole tile, else only the lanes of
    /// <paramref name="mask"/> (the rest zero). The mask costs a conversion into a mask register
    /// before each load, on a port the multiply-adds need: a whole tile runs without it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load<TTile>(float* from, Vector512<float> mask)
        where TTile : struct, ThinShapes.ITileRows =>
        TTile.IsWhole ? Vector512.Load(from) : Avx512F.MaskLoad(from, mask, Vector512<float>.Zero);

    /// <summary>
    /// Writes 16 rows of the tile, columns 0-2's products in <paramref name="x"/>,
    /// <paramref name="y"/>, <paramref name="z"/> (row r in lane r; only the tile's columns are
    /// used), as <typeparamref name="TColumns"/> vectors of C's row-major floats from
    /// <paramref name="c"/>, of which the first <paramref name="count"/> are in the tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Group<TColumns>(Vector512<float> x, Vector512<float> y, Vector512<float> z, float* c, int count, float beta)
        where TColumns : struct, ThinShapes.IColumns
    {
        if (count <= 0)
        {
            return;
        }

        if (TColumns.Count == 1)
        {
            Write(c, count, x, beta);
        }
        else if (TColumns.Count == 2)
        {
            // Float e of the 32 is row e / 2 of column e % 2: x's lane r is index r, y's 16 + r.
            Write(c, count, Avx512F.PermuteVar16x32x2(x, Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23), y), beta);
            Write(c + Width, count - Width, Avx512F.PermuteVar16x32x2(x, Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), y), beta);
        }
        else
        {
            // Float e of the 48 is row e / 3 of column e % 3: columns 0 and 1 by one two-source
            // permute, column 2's lanes (every third) blended in from a permute of z.
            Write(c, count, Interleave(x, y, z, Vector512.Create(0, 16, 0, 1, 17, 0, 2, 18, 0, 3, 19, 0, 4, 20, 0, 5), Vector512.Create(0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0), Vector512.Create(0, 0, -1, 0, 0, -1, 0, 0, -1, 0, 0, -1, 0, 0, -1, 0)), beta);
            Write(c + Width, count - Width, Interleave(x, y, z, Vector512.Create(21, 0, 6, 22, 0, 7, 23, 0, 8, 24, 0, 9, 25, 0, 10, 26), Vector512.Create(0, 5, 0, 0, 6, 0, 0, 7, 0, 0, 8, 0, 0, 9, 0, 0), Vector512.Create(0, -1, 0, 0, -1, 0, 0, -1, 0, 0, -1, 0, 0, -1, 0, 0)), beta);
            Write(c + (2 * Width), count - (2 * Width), Interleave(x, y, z, Vector512.Create(0, 11, 27, 0, 12, 28, 0, 13, 29, 0, 14, 30, 0, 15, 31, 0), Vector512.Create(10, 0, 0, 11, 0, 0, 12, 0, 0, 13, 0, 0, 14, 0, 0, 15), Vector512.Create(-1, 0, 0, -1, 0, 0, -1, 0, 0, -1, 0, 0, -1, 0, 0, -1)), beta);
        }
    }

    /// <summary>Lanes of x and y picked by <paramref name="fromXY"/>, where <paramref name="fromZ"/> is set those of z picked by <paramref name="zIndices"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Interleave(
        Vector512<float> x, Vector512<float> y, Vector512<float> z, Vector512<int> fromXY, Vector512<int> zIndices, Vector512<int> fromZ) =>
        Vector512.ConditionalSelect(fromZ.AsSingle(), Avx512F.PermuteVar16x32(z, zIndices), Avx512F.PermuteVar16x32x2(x, fromXY, y));

    /// <summary>
    /// Adds one vector of products to C at <paramref name="c"/> by the micro-kernels' rule (the
    /// product when <paramref name="beta"/> is 0, C not read; else fma(beta, C, product)), the
    /// first <paramref name="count"/> lanes only: no memory past them is read or written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(float* c, int count, Vector512<float> products, float beta)
    {
        if (count >= Width)
        {
            if (beta != 0f)
            {
                products = Vector512.FusedMultiplyAdd(Vector512.Create(beta), Vector512.Load(c), products);
            }

            products.Store(c);
            return;
        }

        if (count <= 0)
        {
            return;
        }

        Vector512<float> mask = DotProductGemm.LanesBelow(count);
        if (beta != 0f)
        {
            products = Vector512.FusedMultiplyAdd(Vector512.Create(beta), Avx512F.MaskLoad(c, mask, Vector512<float>.Zero), products);
        }

        Avx512F.MaskStore(c, mask, products);
    }

    /// <summary>This path's tile, for <see cref="ThinTiles{TPath}"/>.</summary>
    private readonly struct Tiles : IThinPath
    {
        public static int TileRows => ThinGemm.TileRows;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Tile<TColumns, TTile>(in GemmArguments args, int row, int rows, int pc, int kc, float beta)
            where TColumns : struct, ThinShapes.IColumns
            where TTile : struct, ThinShapes.ITileRows =>
            ThinGemm.Tile<TColumns, TTile>(args, row, rows, pc, kc, beta);
    }
}
