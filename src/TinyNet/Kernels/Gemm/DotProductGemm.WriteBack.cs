using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyNet.Kernels;

/// <summary>The dot-product path's write-back: reduced sums to C, with alpha and beta, through a scratch tile at the edges.</summary>
internal static unsafe partial class DotProductGemm
{
    /// <summary>
    /// Writes <see cref="OneRowTile"/> products (alpha times the sums) to C's only row at
    /// <paramref name="column"/> by the micro-kernels' rule.
    /// </summary>
    private static void WriteOneRow(in GemmArguments args, Vector128<float> products, int column, float* scratch)
    {
        int columns = Math.Min(OneRowTile, args.N - column);
        float* c = args.C + column;
        if (columns == OneRowTile)
        {
            (args.Beta == 0f ? products : Vector128.FusedMultiplyAdd(Vector128.Create(args.Beta), Vector128.Load(c), products)).Store(c);
            return;
        }

        products.Store(scratch);
        WriteScalar(scratch, c, args.Ldc, args.Beta, rows: 1, columns, rowStep: 0, columnStep: 1);
    }

    /// <summary>
    /// Writes an 8 x 2 tile of <paramref name="products"/> (alpha times the sums; (r, j) in lane
    /// 2 r + j) to C at (row, column), with the micro-kernels' rule: the product when beta is 0
    /// (C not read), else fma(beta, C, product). A whole tile with beta = 0 is stored straight
    /// from the register, each row's pair by one 64-bit store.
    /// </summary>
    private static void WriteNarrow(in GemmArguments args, Vector512<float> products, int row, int column, float* scratch)
    {
        int rows = Math.Min(LongSide, args.M - row);
        int columns = Math.Min(ShortSide, args.N - column);
        float* c = args.C + (row * args.Ldc) + column;
        if (rows == LongSide && columns == ShortSide && args.Beta == 0f)
        {
            nint ldc = args.Ldc;
            StorePairs(c, ldc, products.GetLower().GetLower());
            StorePairs(c + (2 * ldc), ldc, products.GetLower().GetUpper());
            StorePairs(c + (4 * ldc), ldc, products.GetUpper().GetLower());
            StorePairs(c + (6 * ldc), ldc, products.GetUpper().GetUpper());
            return;
        }

        products.Store(scratch);
        WriteScalar(scratch, c, args.Ldc, args.Beta, rows, columns, rowStep: ShortSide, columnStep: 1);
    }

    /// <summary>Stores the low pair of <paramref name="pairs"/> at <paramref name="c"/> and the high pair one row below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePairs(float* c, nint ldc, Vector128<float> pairs)
    {
        Sse.StoreLow(c, pairs);
        Sse.StoreHigh(c + ldc, pairs);
    }

    /// <summary>
    /// Writes a 2 x 8 tile (the 8 x 2 one transposed: (r, j) in lane 2 j + r) to C at (row,
    /// column) by the same rule: the lanes are permuted into the two rows of 8, each one vector.
    /// </summary>
    private static void WriteShort(in GemmArguments args, Vector512<float> products, int row, int column, float* scratch)
    {
        int rows = Math.Min(ShortSide, args.M - row);
        int columns = Math.Min(LongSide, args.N - column);
        float* c = args.C + (row * args.Ldc) + column;
        if (columns < LongSide)
        {
            products.Store(scratch);
            WriteScalar(scratch, c, args.Ldc, args.Beta, rows, columns, rowStep: 1, columnStep: ShortSide);
            return;
        }

        // Even lanes are row 0, odd lanes row 1.
        Vector512<float> byRow = Avx512F.PermuteVar16x32(products, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15));
        Vector256<float> beta = Vector256.Create(args.Beta);
        for (int r = 0; r < rows; r++)
        {
            Vector256<float> rowProducts = r == 0 ? byRow.GetLower() : byRow.GetUpper();
            float* target = c + (r * args.Ldc);
            if (args.Beta == 0f)
            {
                rowProducts.Store(target);
            }
            else
            {
                Vector256.FusedMultiplyAdd(beta, Vector256.Load(target), rowProducts).Store(target);
            }
        }
    }

    /// <summary>
    /// The edge of a tile, element by element, by the micro-kernels' rule (the product when
    /// <paramref name="beta"/> is 0, C not read; else fma(beta, C, product)): C(r, j), rows
    /// <paramref name="ldc"/> apart from <paramref name="c"/>, from
    /// <paramref name="products"/>[r * rowStep + j * columnStep]. <see cref="NarrowGemm"/> writes
    /// its edges with it too.
    /// </summary>
    internal static void WriteScalar(float* products, float* c, nint ldc, float beta, int rows, int columns, int rowStep, int columnStep)
    {
        for (int r = 0; r < rows; r++)
        {
            float* target = c + (r * ldc);
            float* source = products + (r * rowStep);
            for (int j = 0; j < columns; j++)
            {
                float product = source[j * columnStep];
                target[j] = beta == 0f ? product : MathF.FusedMultiplyAdd(beta, target[j], product);
            }
        }
    }
}
