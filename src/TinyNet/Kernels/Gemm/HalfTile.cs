using System.Runtime.CompilerServices;

namespace TinyNet.Kernels;

/// <summary>
/// The left half of a two-vector micro-kernel's tile: its rows against the first vector of B's
/// micro-panel, for a last column tile at most one vector wide (n = 48 or 80 leave 16 columns
/// past their last 32-column tile, n = 100 leaves 4). Computing the whole tile there spent half
/// of its multiply-adds or more on zero padding, and OpenBLAS ran 1.34x as fast as TinyNet at
/// n = 48 and 1.33x at n = 80. The half tile ran 1.20x, 1.15x and 1.09x as fast as the whole one
/// at n = 48, 80 and 100, and 1.02x on Linear's 128x512 * 512x784 dX, where it is one tile in 25
/// (interleaved, one thread, 21 rounds). Each element is summed over p = 0 .. kc - 1 in order
/// with the same fused multiply-adds and written by the same rule as in the whole tile, so the
/// results are bitwise the same.
/// </summary>
/// <remarks>
/// One source serves every kernel: the rows past <typeparamref name="TKernel"/>'s
/// <see cref="IMicroKernel.Rows"/> are constant-false branches, which the JIT removes from each
/// kernel's compiled copy, accumulators and all.
/// </remarks>
/// <typeparam name="TOps">The vector operations of one width.</typeparam>
/// <typeparam name="TVector">The vector type of that width.</typeparam>
/// <typeparam name="TKernel">The kernel whose rows (at most 12) and panel layout the half tile shares.</typeparam>
internal static unsafe class HalfTile<TOps, TVector, TKernel>
    where TOps : struct, ISimd<TVector>
    where TVector : struct
    where TKernel : struct, IMicroKernel
{
    /// <summary>
    /// C = alpha * A * B + beta * C on the tile's first <c>TOps.Width</c> columns; the arguments
    /// are <see cref="IMicroKernel.Run{TLayout, TAlpha}"/>'s, B's panel as wide as the whole tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TLayout, TAlpha>(int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
        where TLayout : struct, IPanelLayout
        where TAlpha : struct, IAlphaScale
    {
        TVector c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero, c4 = TOps.Zero, c5 = TOps.Zero, c6 = TOps.Zero, c7 = TOps.Zero, c8 = TOps.Zero, c9 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero;
        (nint stride, nint stride2, nint stride3, nint stride4, nint step) = PanelRows.Strides<TLayout>(aRowStride, aStep);
        for (int p = 0; p < kc; p++)
        {
            // Unused, and dropped by the JIT, when the rows are adjacent.
            float* from4 = a + stride4;
            float* from8 = from4 + stride4;
            TVector b0 = TOps.Load(b);
            c0 = TOps.MultiplyAdd(TOps.Broadcast(a[0]), b0, c0);
            if (TKernel.Rows > 1)
            {
                c1 = TOps.MultiplyAdd(TOps.Broadcast(TLayout.RowsAdjacent ? a[1] : a[stride]), b0, c1);
            }

            if (TKernel.Rows > 2)
            {
                c2 = TOps.MultiplyAdd(TOps.Broadcast(TLayout.RowsAdjacent ? a[2] : a[stride2]), b0, c2);
            }

            if (TKernel.Rows > 3)
            {
                c3 = TOps.MultiplyAdd(TOps.Broadcast(TLayout.RowsAdjacent ? a[3] : a[stride3]), b0, c3);
            }

            if (TKernel.Rows > 4)
            {
                c4 = TOps.MultiplyAdd(TOps.Broadcast(TLayout.RowsAdjacent ? a[4] : from4[0]), b0, c4);
            }

            if (TKernel.Rows > 5)
            {
                c5 = TOps.MultiplyAdd(TOps.Broadcast(TLayout.RowsAdjacent ? a[5] : from4[stride]), b0, c5);
            }

            if (TKernel.Rows > 6)
            {
                c6 = TOps.MultiplyAdd(TOps.Broadcast(TLayout.RowsAdjacent ? a[6] : from4[stride2]), b0, c6);
            }

            if (TKernel.Rows > 7)
            {
                c7 = TOps.MultiplyAdd(TOps.Broadcast(TLayout.RowsAdjacent ? a[7] : from4[stride3]), b0, c7);
            }

            if (TKernel.Rows > 8)
            {
                c8 = TOps.MultiplyAdd(TOps.Broadcast(TLayout.RowsAdjacent ? a[8] : from8[0]), b0, c8);
            }

            if (TKernel.Rows > 9)
            {
                c9 = TOps.MultiplyAdd(TOps.Broadcast(TLayout.RowsAdjacent ? a[9] : from8[stride]), b0, c9);
            }

            if (TKernel.Rows > 10)
            {
                c10 = TOps.MultiplyAdd(TOps.Broadcast(TLayout.RowsAdjacent ? a[10] : from8[stride2]), b0, c10);
            }

            if (TKernel.Rows > 11)
            {
                c11 = TOps.MultiplyAdd(TOps.Broadcast(TLayout.RowsAdjacent ? a[11] : from8[stride3]), b0, c11);
            }
            a += step;
            b += bStep;
        }

        TVector alphas = TOps.Broadcast(alpha);
        TVector betas = TOps.Broadcast(beta);
        Write<TAlpha>(c0, alphas, betas, beta, c);
        if (TKernel.Rows > 1)
        {
            Write<TAlpha>(c1, alphas, betas, beta, c + (1 * ldc));
        }

        if (TKernel.Rows > 2)
        {
            Write<TAlpha>(c2, alphas, betas, beta, c + (2 * ldc));
        }

        if (TKernel.Rows > 3)
        {
            Write<TAlpha>(c3, alphas, betas, beta, c + (3 * ldc));
        }

        if (TKernel.Rows > 4)
        {
            Write<TAlpha>(c4, alphas, betas, beta, c + (4 * ldc));
        }

        if (TKernel.Rows > 5)
        {
            Write<TAlpha>(c5, alphas, betas, beta, c + (5 * ldc));
        }

        if (TKernel.Rows > 6)
        {
            Write<TAlpha>(c6, alphas, betas, beta, c + (6 * ldc));
        }

        if (TKernel.Rows > 7)
        {
            Write<TAlpha>(c7, alphas, betas, beta, c + (7 * ldc));
        }

        if (TKernel.Rows > 8)
        {
            Write<TAlpha>(c8, alphas, betas, beta, c + (8 * ldc));
        }

        if (TKernel.Rows > 9)
        {
            Write<TAlpha>(c9, alphas, betas, beta, c + (9 * ldc));
        }

        if (TKernel.Rows > 10)
        {
            Write<TAlpha>(c10, alphas, betas, beta, c + (10 * ldc));
        }

        if (TKernel.Rows > 11)
        {
            Write<TAlpha>(c11, alphas, betas, beta, c + (11 * ldc));
        }
    }

    /// <summary>One row of the half tile, by the kernels' rule (<see cref="TileWriter{TOps, TVector}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write<TAlpha>(TVector sum, TVector alphas, TVector betas, float beta, float* c)
        where TAlpha : struct, IAlphaScale
    {
        if (beta == 0f)
        {
            TileWriter<TOps, TVector>.Store<TAlpha>(sum, alphas, c);
        }
        else
        {
            TileWriter<TOps, TVector>.Update<TAlpha>(sum, alphas, betas, c);
        }
    }
}
