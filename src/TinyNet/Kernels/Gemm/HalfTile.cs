using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace TinyNet.Kernels;

/// <summary>
/// The left half of a two-vector micro-kernel's tile: its rows against the first vector of B's
/// micro-panel, for a last column tile at most one vector wide (n = 48 or 80 leave 16 columns
/// past their last 32-column tile, n = 100 leaves 4), where the whole tile would spend half of
/// its multiply-adds or more on zero padding (docs/gemm.md gives the figures). Each element is
/// summed over p = 0 .. kc - 1 in order with the same fused multiply-adds and written by the
/// same rule as in the whole tile, so the results are bitwise the same.
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
        Debug.Assert(TKernel.Rows <= 12, "The half tile holds at most 12 rows.");
        TVector c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero, c4 = TOps.Zero, c5 = TOps.Zero;
        TVector c6 = TOps.Zero, c7 = TOps.Zero, c8 = TOps.Zero, c9 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero;
        (nint stride, nint stride2, nint stride3, nint stride4, nint step) = PanelRows.Strides<TLayout>(aRowStride, aStep);
        for (int p = 0; p < kc; p++)
        {
            TVector b0 = TOps.Load(b);
            Add<TLayout>(ref c0, 0, a, stride, stride2, stride3, stride4, b0);
            Add<TLayout>(ref c1, 1, a, stride, stride2, stride3, stride4, b0);
            Add<TLayout>(ref c2, 2, a, stride, stride2, stride3, stride4, b0);
            Add<TLayout>(ref c3, 3, a, stride, stride2, stride3, stride4, b0);
            Add<TLayout>(ref c4, 4, a, stride, stride2, stride3, stride4, b0);
            Add<TLayout>(ref c5, 5, a, stride, stride2, stride3, stride4, b0);
            Add<TLayout>(ref c6, 6, a, stride, stride2, stride3, stride4, b0);
            Add<TLayout>(ref c7, 7, a, stride, stride2, stride3, stride4, b0);
            Add<TLayout>(ref c8, 8, a, stride, stride2, stride3, stride4, b0);
            Add<TLayout>(ref c9, 9, a, stride, stride2, stride3, stride4, b0);
            Add<TLayout>(ref c10, 10, a, stride, stride2, stride3, stride4, b0);
            Add<TLayout>(ref c11, 11, a, stride, stride2, stride3, stride4, b0);
            a += step;
            b += bStep;
        }

        TVector alphas = TOps.Broadcast(alpha);
        TVector betas = TOps.Broadcast(beta);
        Write<TAlpha>(c0, 0, alphas, betas, beta, c, ldc);
        Write<TAlpha>(c1, 1, alphas, betas, beta, c, ldc);
        Write<TAlpha>(c2, 2, alphas, betas, beta, c, ldc);
        Write<TAlpha>(c3, 3, alphas, betas, beta, c, ldc);
        Write<TAlpha>(c4, 4, alphas, betas, beta, c, ldc);
        Write<TAlpha>(c5, 5, alphas, betas, beta, c, ldc);
        Write<TAlpha>(c6, 6, alphas, betas, beta, c, ldc);
        Write<TAlpha>(c7, 7, alphas, betas, beta, c, ldc);
        Write<TAlpha>(c8, 8, alphas, betas, beta, c, ldc);
        Write<TAlpha>(c9, 9, alphas, betas, beta, c, ldc);
        Write<TAlpha>(c10, 10, alphas, betas, beta, c, ldc);
        Write<TAlpha>(c11, 11, alphas, betas, beta, c, ldc);
    }

    /// <summary>
    /// Row <paramref name="row"/>'s multiply-add at one step, if the kernel has that row (a
    /// constant, so the JIT keeps or drops the whole call). The rows are adjacent, or in groups
    /// of four from one base with an index of 0 to 3 row strides, as in the kernels (<see cref="PanelRows"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add<TLayout>(ref TVector sum, int row, float* a, nint stride, nint stride2, nint stride3, nint stride4, TVector b)
        where TLayout : struct, IPanelLayout
    {
        if (TKernel.Rows > row)
        {
            nint index = (row % 4) switch { 0 => 0, 1 => stride, 2 => stride2, _ => stride3 };
            float value = TLayout.RowsAdjacent ? a[row] : a[((row / 4) * stride4) + index];
            sum = TOps.MultiplyAdd(TOps.Broadcast(value), b, sum);
        }
    }

    /// <summary>Row <paramref name="row"/> of the half tile, if the kernel has that row, by the kernels' rule (<see cref="TileWriter{TOps, TVector}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write<TAlpha>(TVector sum, int row, TVector alphas, TVector betas, float beta, float* c, nint ldc)
        where TAlpha : struct, IAlphaScale
    {
        if (TKernel.Rows <= row)
        {
            return;
        }

        float* target = c + (row * ldc);
        if (beta == 0f)
        {
            TileWriter<TOps, TVector>.Store<TAlpha>(sum, alphas, target);
        }
        else
        {
            TileWriter<TOps, TVector>.Update<TAlpha>(sum, alphas, betas, target);
        }
    }
}
