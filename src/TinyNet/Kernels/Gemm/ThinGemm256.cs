using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyNet.Kernels;

/// <summary>
/// C = alpha * Aᵀ * B + beta * C on AVX2 for a C of at most 3 columns, such as the weight gradient
/// of a layer with 2 inputs (dW = dYᵀ X, the sample's first layer): <see cref="ThinGemm"/>'s loop
/// on 256-bit vectors. The rows of the stored A (adjacent along m) are the vectors: a tile is 24
/// rows of C, three vectors per column (9 sums, 3 broadcasts and a row of A in 13 of AVX2's 16
/// registers), and each step of k adds a row of A times the step's 1-3 floats of B, broadcast.
/// The blocked path's narrowest tile computes 8 columns of such a C, and merges every tile from
/// the side.
/// </summary>
/// <remarks>
/// <para>
/// Each element is summed in order with fused multiply-adds over each block of
/// <see cref="GemmPlan.DepthBlock"/> steps of k and added to C as the blocked kernels
/// add theirs, so the results are bitwise theirs. Rows past the edge of a tile are masked off:
/// not read, not written.
/// </para>
/// <para>
/// Why a source of its own rather than <see cref="ThinGemm"/> over the SIMD abstraction: the
/// 64-row tile's sums fill AVX-512's 32 registers, so this tile has 24 rows within 16; and
/// interleaving the columns into C's rows takes two-source permutes (<c>vpermt2ps</c>) and
/// masked loads with zeroing on AVX-512, unpacks, 128-bit lane swaps and blends on AVX2.
/// </para>
/// </remarks>
internal static unsafe class ThinGemm256
{
    /// <summary>The rows of C in a tile: three vectors per column.</summary>
    private const int TileRows = 24;

    private const int Width = 8;

    /// <summary>Runs on this hardware: AVX2 with FMA.</summary>
    public static bool IsSupported => Vector256Simd.IsSupported;

    /// <summary>Runs the whole product on up to <paramref name="maxThreads"/> threads.</summary>
    public static void Multiply(in GemmArguments args, int maxThreads) => ThinTiles<Tiles>.Multiply(args, maxThreads);

    /// <summary>
    /// Adds alpha times the sums over steps [pc, pc + kc) of rows [row, row + rows) to C by the
    /// micro-kernels' rule: three vectors of A per step (masked past the last row: no memory past
    /// the tile's rows is read), each times the step's floats of B; then the sums, one vector per
    /// column and 8 rows, are interleaved into C's rows in registers (see <see cref="Group"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<TColumns, TTile>(in GemmArguments args, int row, int rows, int pc, int kc, float beta)
        where TColumns : struct, ThinShapes.IColumns
        where TTile : struct, ThinShapes.ITileRows
    {
        Vector256<float> m0 = LanesBelow(rows), m1 = LanesBelow(rows - Width), m2 = LanesBelow(rows - (2 * Width));
        Vector256<float> s00 = default, s01 = default, s02 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default;
        Vector256<float> s20 = default, s21 = default, s22 = default;
        nint aStep = args.ColumnStrideA;
        nint bStep = args.RowStrideB;
        nint bColumn = args.ColumnStrideB;
        float* a = args.A + row + (pc * aStep);
        float* b = args.B + (pc * bStep);
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> x0 = Vector256.Create(b[0]);
            Vector256<float> x1 = TColumns.Count > 1 ? Vector256.Create(b[bColumn]) : default;
            Vector256<float> x2 = TColumns.Count > 2 ? Vector256.Create(b[2 * bColumn]) : default;
            Vector256<float> row0 = Load<TTile>(a, m0);
            s00 = Vector256.FusedMultiplyAdd(row0, x0, s00);
            s10 = TColumns.Count > 1 ? Vector256.FusedMultiplyAdd(row0, x1, s10) : s10;
            s20 = TColumns.Count > 2 ? Vector256.FusedMultiplyAdd(row0, x2, s20) : s20;
            Vector256<float> row1 = Load<TTile>(a + Width, m1);
            s01 = Vector256.FusedMultiplyAdd(row1, x0, s01);
            s11 = TColumns.Count > 1 ? Vector256.FusedMultiplyAdd(row1, x1, s11) : s11;
            s21 = TColumns.Count > 2 ? Vector256.FusedMultiplyAdd(row1, x2, s21) : s21;
            Vector256<float> row2 = Load<TTile>(a + (2 * Width), m2);
            s02 = Vector256.FusedMultiplyAdd(row2, x0, s02);
            s12 = TColumns.Count > 1 ? Vector256.FusedMultiplyAdd(row2, x1, s12) : s12;
            s22 = TColumns.Count > 2 ? Vector256.FusedMultiplyAdd(row2, x2, s22) : s22;
            a += aStep;
            b += bStep;
        }

        // C's rows are N = Ldc floats, so the tile is rows * N floats in a row from c; each 8
        // rows of it are N vectors, drawn from the same 8 rows of every column's sums.
        Vector256<float> alpha = Vector256.Create(args.Alpha);
        float* c = args.C + (row * args.Ldc);
        int count = rows * TColumns.Count;
        int group = Width * TColumns.Count;
        Group<TColumns>(alpha * s00, alpha * s10, alpha * s20, c, count, beta);
        Group<TColumns>(alpha * s01, alpha * s11, alpha * s21, c + group, count - group, beta);
        Group<TColumns>(alpha * s02, alpha * s12, alpha * s22, c + (2 * group), count - (2 * group), beta);
    }

    /// <summary>8 floats of a row of A: a plain load in a whole tile, else only the lanes of <paramref name="mask"/> (the rest zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load<TTile>(float* from, Vector256<float> mask)
        where TTile : struct, ThinShapes.ITileRows =>
        TTile.IsWhole ? Vector256.Load(from) : Avx.MaskLoad(from, mask);

    /// <summary>
    /// Writes 8 rows of the tile, columns 0-2's products in <paramref name="x"/>,
    /// <paramref name="y"/>, <paramref name="z"/> (row r in lane r; only the tile's columns are
    /// used), as <typeparamref name="TColumns"/> vectors of C's row-major floats from
    /// <paramref name="c"/>, of which the first <paramref name="count"/> are in the tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Group<TColumns>(Vector256<float> x, Vector256<float> y, Vector256<float> z, float* c, int count, float beta)
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
            // Float e of the 16 is row e / 2 of column e % 2.
            Vector256<float> low = Avx.UnpackLow(x, y);   // x0 y0 x1 y1 | x4 y4 x5 y5
            Vector256<float> high = Avx.UnpackHigh(x, y); // x2 y2 x3 y3 | x6 y6 x7 y7
            Write(c, count, Avx.Permute2x128(low, high, 0x20), beta);
            Write(c + Width, count - Width, Avx.Permute2x128(low, high, 0x31), beta);
        }
        else
        {
            // Float e of the 24 is row e / 3 of column e % 3: each vector takes its lanes from a
            // permute of each column, blended.
            Write(c, count, Interleave(x, y, z, Vector256.Create(0, 0, 0, 1, 0, 0, 2, 0), Vector256.Create(0, 0, 0, 0, 1, 0, 0, 2), Vector256.Create(0, 0, 0, 0, 0, 1, 0, 0), 0b1001_0010, 0b0010_0100), beta);
            Write(c + Width, count - Width, Interleave(x, y, z, Vector256.Create(0, 3, 0, 0, 4, 0, 0, 5), Vector256.Create(0, 0, 3, 0, 0, 4, 0, 0), Vector256.Create(2, 0, 0, 3, 0, 0, 4, 0), 0b0010_0100, 0b0100_1001), beta);
            Write(c + (2 * Width), count - (2 * Width), Interleave(x, y, z, Vector256.Create(0, 0, 6, 0, 0, 7, 0, 0), Vector256.Create(5, 0, 0, 6, 0, 0, 7, 0), Vector256.Create(0, 5, 0, 0, 6, 0, 0, 7), 0b0100_1001, 0b1001_0010), beta);
        }
    }

    /// <summary>
    /// The lanes of x, y and z picked by their indices; y's where <paramref name="fromY"/> has a
    /// bit, z's where <paramref name="fromZ"/> has one, x's elsewhere.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Interleave(
        Vector256<float> x, Vector256<float> y, Vector256<float> z, Vector256<int> xIndices, Vector256<int> yIndices, Vector256<int> zIndices, [ConstantExpected] byte fromY, [ConstantExpected] byte fromZ) =>
        Avx.Blend(Avx.Blend(Avx2.PermuteVar8x32(x, xIndices), Avx2.PermuteVar8x32(y, yIndices), fromY), Avx2.PermuteVar8x32(z, zIndices), fromZ);

    /// <summary>
    /// Adds one vector of products to C at <paramref name="c"/> by the micro-kernels' rule (the
    /// product when <paramref name="beta"/> is 0, C not read; else fma(beta, C, product)), the
    /// first <paramref name="count"/> lanes only: no memory past them is read or written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(float* c, int count, Vector256<float> products, float beta)
    {
        if (count >= Width)
        {
            if (beta != 0f)
            {
                products = Vector256.FusedMultiplyAdd(Vector256.Create(beta), Vector256.Load(c), products);
            }

            products.Store(c);
            return;
        }

        if (count <= 0)
        {
            return;
        }

        Vector256<float> mask = LanesBelow(count);
        if (beta != 0f)
        {
            products = Vector256.FusedMultiplyAdd(Vector256.Create(beta), Avx.MaskLoad(c, mask), products);
        }

        Avx.MaskStore(c, mask, products);
    }

    /// <summary>All lanes when 8 or more are left, else the first <paramref name="count"/> (none when it is 0 or less).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LanesBelow(int count) =>
        Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    /// <summary>This path's tile, for <see cref="ThinTiles{TPath}"/>.</summary>
    private readonly struct Tiles : IThinPath
    {
        public static int TileRows => ThinGemm256.TileRows;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Tile<TColumns, TTile>(in GemmArguments args, int row, int rows, int pc, int kc, float beta)
            where TColumns : struct, ThinShapes.IColumns
            where TTile : struct, ThinShapes.ITileRows =>
            ThinGemm256.Tile<TColumns, TTile>(args, row, rows, pc, kc, beta);
    }
}
