using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace TinyNet.Kernels;

/// <summary>
/// The last row tile of a 6-row kernel when it holds 1 to 4 rows (m = 32 leaves 2, m = 64 and
/// 1024 leave 4): four rows of two vectors, 8 accumulators, read from A wherever its rows are,
/// in place or packed, and written straight to C. The whole kernel would compute 6 rows from a
/// zero-padded copy of the rows into a tile aside, then copy the valid ones into C: a third of
/// its multiply-adds or more on padding, and a copy and a merge for every call. Four
/// accumulators per vector of B keep both FMA ports busy through a multiply-add's latency, so 4
/// rows cost about what 1, 2 or 3 would (docs/gemm.md gives the figures). Only the 6-row kernels
/// have it (<see cref="Kernel6x2{TOps, TVector}"/>); the AVX-512 ones run their last row tile whole.
/// </summary>
/// <remarks>
/// Rows past the valid ones read the last valid row again (never past A's end) and are not
/// written. Each element is summed over p = 0 .. kc - 1 in order with the same fused
/// multiply-adds, and written by the same rule (<see cref="TileWriter{TOps, TVector}"/>), as in
/// the whole tile, so the results are bitwise the same.
/// </remarks>
/// <typeparam name="TOps">The vector operations of one width.</typeparam>
/// <typeparam name="TVector">The vector type of that width.</typeparam>
internal static unsafe class FewRowsTile<TOps, TVector>
    where TOps : struct, ISimd<TVector>
    where TVector : struct
{
    /// <summary>The most rows this tile computes.</summary>
    public const int MaxRows = 4;

    /// <summary>
    /// C = alpha * A * B + beta * C on the first <paramref name="rows"/> rows of a two-vector
    /// tile; the other arguments are <see cref="IMicroKernel.Run{TLayout, TAlpha}"/>'s.
    /// </summary>
    /// <param name="rows">The rows of C to compute and write, 1 to <see cref="MaxRows"/>.</param>
    /// <param name="kc">The depth of the panels.</param>
    /// <param name="a">Row i of A's panel at step p: a[i * aRowStride + p * aStep], for i below <paramref name="rows"/>.</param>
    /// <param name="aRowStride">The distance between rows of A's panel.</param>
    /// <param name="aStep">The distance between steps of k in A.</param>
    /// <param name="b">B's panel, two vectors wide: element (p, j) at b[p * bStep + j].</param>
    /// <param name="bStep">The distance between steps of k in B.</param>
    /// <param name="c">The tile's first element; element (i, j) at c[i * ldc + j].</param>
    /// <param name="ldc">The distance between rows of the tile in C.</param>
    /// <param name="alpha">The scale of the product.</param>
    /// <param name="beta">The scale of C's old value; 0 means C is not read.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TAlpha>(int rows, int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
        where TAlpha : struct, IAlphaScale
    {
        Debug.Assert(rows is >= 1 and <= MaxRows, "1 to 4 rows.");
        nint row1 = rows > 1 ? aRowStride : 0;
        nint row2 = rows > 2 ? 2 * aRowStride : row1;
        nint row3 = rows > 3 ? 3 * aRowStride : row2;
        TVector c00 = TOps.Zero, c01 = TOps.Zero;
        TVector c10 = TOps.Zero, c11 = TOps.Zero;
        TVector c20 = TOps.Zero, c21 = TOps.Zero;
        TVector c30 = TOps.Zero, c31 = TOps.Zero;

        // Two steps per iteration, as in the whole kernel, after an odd first one.
        int p = 0;
        if ((kc & 1) != 0)
        {
            Step(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, a, row1, row2, row3, b);
            a += aStep;
            b += bStep;
            p = 1;
        }

        for (; p < kc; p += 2)
        {
            Step(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, a, row1, row2, row3, b);
            Step(ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31, a + aStep, row1, row2, row3, b + bStep);
            a += 2 * aStep;
            b += 2 * bStep;
        }

        TVector alphas = TOps.Broadcast(alpha);
        if (beta == 0f)
        {
            TileWriter<TOps, TVector>.Store<TAlpha>(c00, c01, alphas, c);
            if (rows > 1)
            {
                TileWriter<TOps, TVector>.Store<TAlpha>(c10, c11, alphas, c + ldc);
            }

            if (rows > 2)
            {
                TileWriter<TOps, TVector>.Store<TAlpha>(c20, c21, alphas, c + (2 * ldc));
            }

            if (rows > 3)
            {
                TileWriter<TOps, TVector>.Store<TAlpha>(c30, c31, alphas, c + (3 * ldc));
            }
        }
        else
        {
            TVector betas = TOps.Broadcast(beta);
            TileWriter<TOps, TVector>.Update<TAlpha>(c00, c01, alphas, betas, c);
            if (rows > 1)
            {
                TileWriter<TOps, TVector>.Update<TAlpha>(c10, c11, alphas, betas, c + ldc);
            }

            if (rows > 2)
            {
                TileWriter<TOps, TVector>.Update<TAlpha>(c20, c21, alphas, betas, c + (2 * ldc));
            }

            if (rows > 3)
            {
                TileWriter<TOps, TVector>.Update<TAlpha>(c30, c31, alphas, betas, c + (3 * ldc));
            }
        }
    }

    /// <summary>One step of k: the four rows' floats of A (at 0 and the three row offsets) times B's two vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(
        ref TVector c00, ref TVector c01, ref TVector c10, ref TVector c11, ref TVector c20, ref TVector c21, ref TVector c30, ref TVector c31,
        float* a,
        nint row1,
        nint row2,
        nint row3,
        float* b)
    {
        TVector b0 = TOps.Load(b);
        TVector b1 = TOps.Load(b + TOps.Width);
        TVector x = TOps.Broadcast(a[0]);
        c00 = TOps.MultiplyAdd(x, b0, c00);
        c01 = TOps.MultiplyAdd(x, b1, c01);
        x = TOps.Broadcast(a[row1]);
        c10 = TOps.MultiplyAdd(x, b0, c10);
        c11 = TOps.MultiplyAdd(x, b1, c11);
        x = TOps.Broadcast(a[row2]);
        c20 = TOps.MultiplyAdd(x, b0, c20);
        c21 = TOps.MultiplyAdd(x, b1, c21);
        x = TOps.Broadcast(a[row3]);
        c30 = TOps.MultiplyAdd(x, b0, c30);
        c31 = TOps.MultiplyAdd(x, b1, c31);
    }
}
