using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyNet.Kernels;

/// <summary>The narrow path's write-back: a tile's pair sums to C's rows, with alpha and beta, through a scratch tile at the edges.</summary>
internal static unsafe partial class NarrowGemm
{
    /// <summary>
    /// Stores a whole tile (4 rows, every column of the pass, beta = 0) from the
    /// <see cref="Halve"/>d sums times alpha of columns 0-3, 4-7 and 8-9: each row's columns
    /// 0-7 by one 256-bit store (0-3 by a 128-bit one with fewer than 4 pairs) and its last two
    /// by a 64-bit one. One branch for the tile where <see cref="Write"/> tests beta and the
    /// edges per row: with those tests, writing took about a tenth of the tile's time at
    /// k = 256.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TPairs>(float* c, nint ldc, Vector512<float> first, Vector512<float> second, Vector512<float> third)
        where TPairs : struct, NarrowPairs.ICount
    {
        if (TPairs.Count < 4)
        {
            Vector512<float> rows = ByRow(first);
            rows.GetLower().GetLower().Store(c);
            rows.GetLower().GetUpper().Store(c + ldc);
            rows.GetUpper().GetLower().Store(c + (2 * ldc));
            rows.GetUpper().GetUpper().Store(c + (3 * ldc));
            if (TPairs.Count == 3)
            {
                StoreTwoColumns(c + 4, ldc, second);
            }

            return;
        }

        // Row r's columns 0-3 (first) and 4-7 (second) side by side: rows 0-1, then rows 2-3.
        Vector512<float> rows01 = Avx512F.PermuteVar16x32x2(first, Vector512.Create(0, 4, 2, 6, 16, 20, 18, 22, 8, 12, 10, 14, 24, 28, 26, 30), second);
        Vector512<float> rows23 = Avx512F.PermuteVar16x32x2(first, Vector512.Create(1, 5, 3, 7, 17, 21, 19, 23, 9, 13, 11, 15, 25, 29, 27, 31), second);
        rows01.GetLower().Store(c);
        rows01.GetUpper().Store(c + ldc);
        rows23.GetLower().Store(c + (2 * ldc));
        rows23.GetUpper().Store(c + (3 * ldc));
        if (TPairs.Count == 5)
        {
            StoreTwoColumns(c + 8, ldc, third);
        }
    }

    /// <summary>Stores the 4 rows x 2 columns of one pair's <see cref="Halve"/>d sums by 64-bit stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTwoColumns(float* c, nint ldc, Vector512<float> sums)
    {
        // Row r's two columns in lanes 2r and 2r + 1.
        Vector256<float> rows = Avx512F.PermuteVar16x32(sums, Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 0, 0, 0, 0, 0, 0, 0, 0)).GetLower();
        Sse.StoreLow(c, rows.GetLower());
        Sse.StoreHigh(c + ldc, rows.GetLower());
        Sse.StoreLow(c + (2 * ldc), rows.GetUpper());
        Sse.StoreHigh(c + (3 * ldc), rows.GetUpper());
    }

    /// <summary>
    /// Writes C's columns column .. column + 3 of the pass (or as many as exist) from
    /// <paramref name="products"/> (alpha times the sums; row r's in lanes 4r .. 4r + 3) with
    /// the micro-kernels' rule: the product when beta is 0 (C not read), else
    /// fma(beta, C, product). Inlined, so the products never leave registers in the common
    /// cases (a call here would also let the JIT sink the reductions past it and keep their
    /// inputs in memory through the loop).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(in NarrowPass pass, Vector512<float> products, int column, float* scratch)
    {
        int columns = Math.Min(4, pass.Columns - column);
        if (pass.SkipRows != 0 || (columns != 4 && columns != 2))
        {
            // The rare edges, element by element: a last tile's rows from SkipRows (an earlier
            // tile wrote the others), or 1 or 3 columns.
            products.Store(scratch);
            int skip = pass.SkipRows;
            DotProductGemm.WriteScalar(
                scratch + (4 * skip), pass.C + (skip * pass.Ldc) + column, pass.Ldc, pass.Beta, TileRows - skip, columns, rowStep: 4, columnStep: 1);
            return;
        }

        float* c = pass.C + column;
        nint ldc = pass.Ldc;
        WriteRow(c, products.GetLower().GetLower(), columns, pass.Beta);
        WriteRow(c + ldc, products.GetLower().GetUpper(), columns, pass.Beta);
        WriteRow(c + (2 * ldc), products.GetUpper().GetLower(), columns, pass.Beta);
        WriteRow(c + (3 * ldc), products.GetUpper().GetUpper(), columns, pass.Beta);
    }

    /// <summary>Writes the first 4 or 2 (<paramref name="columns"/>) lanes of <paramref name="products"/> to a row of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteRow(float* target, Vector128<float> products, int columns, float beta)
    {
        if (columns == 4)
        {
            (beta == 0f ? products : Vector128.FusedMultiplyAdd(Vector128.Create(beta), Vector128.Load(target), products)).Store(target);
        }
        else
        {
            Sse.StoreLow(target, beta == 0f ? products : Vector128.FusedMultiplyAdd(Vector128.Create(beta), Sse2.LoadScalarVector128((double*)target).AsSingle(), products));
        }
    }
}
