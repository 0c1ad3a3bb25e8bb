using System.Runtime.CompilerServices;

namespace TinyNet.Kernels;

/// <summary>
/// The 16 x (1 vector) micro-kernel, for narrow products (n at most one vector wide, such as a
/// 10-class output layer), where the two-vector kernels would compute mostly padding. 16
/// accumulators, one load of B and 16 broadcasts of A per step of k; bitwise the same sums as
/// the other kernels.
/// </summary>
/// <typeparam name="TOps">The vector operations of one width.</typeparam>
/// <typeparam name="TVector">The vector type of that width.</typeparam>
internal readonly unsafe struct Kernel16x1<TOps, TVector> : IMicroKernel
    where TOps : struct, ISimd<TVector>
    where TVector : struct
{
    public static int Rows => 16;

    public static int Columns => TOps.Width;

    public static int Width => TOps.Width;

    public static bool IsSupported => TOps.IsSupported;

    /// <inheritdoc cref="IMicroKernel.Run{TLayout, TAlpha}"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TLayout, TAlpha>(int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
        where TLayout : struct, IPanelLayout
        where TAlpha : struct, IAlphaScale
    {
        TVector c0 = TOps.Zero;
        TVector c1 = TOps.Zero;
        TVector c2 = TOps.Zero;
        TVector c3 = TOps.Zero;
        TVector c4 = TOps.Zero;
        TVector c5 = TOps.Zero;
        TVector c6 = TOps.Zero;
        TVector c7 = TOps.Zero;
        TVector c8 = TOps.Zero;
        TVector c9 = TOps.Zero;
        TVector c10 = TOps.Zero;
        TVector c11 = TOps.Zero;
        TVector c12 = TOps.Zero;
        TVector c13 = TOps.Zero;
        TVector c14 = TOps.Zero;
        TVector c15 = TOps.Zero;

        (nint stride, nint stride2, nint stride3, nint stride4, nint step) = PanelRows.Strides<TLayout>(aRowStride, aStep);

        // The k loop, two steps per iteration (and an odd first step before it), so that its own
        // instructions (advancing the pointers, counting) are paid once per 32 multiply-adds:
        // the loop issues about 4 instructions a cycle, as many as a core of this family issues
        // (and it shares them with a sibling hyperthread). Each element is still summed over
        // p = 0 .. kc - 1 in order.
        int p = 0;
        if ((kc & 1) != 0)
        {
            Step<TLayout>(
                ref c0, ref c1, ref c2, ref c3, ref c4, ref c5, ref c6, ref c7,
                ref c8, ref c9, ref c10, ref c11, ref c12, ref c13, ref c14, ref c15,
                a, stride, stride2, stride3, stride4, b);
            a += step;
            b += bStep;
            p = 1;
        }

        for (; p < kc; p += 2)
        {
            Step<TLayout>(
                ref c0, ref c1, ref c2, ref c3, ref c4, ref c5, ref c6, ref c7,
                ref c8, ref c9, ref c10, ref c11, ref c12, ref c13, ref c14, ref c15,
                a, stride, stride2, stride3, stride4, b);
            Step<TLayout>(
                ref c0, ref c1, ref c2, ref c3, ref c4, ref c5, ref c6, ref c7,
                ref c8, ref c9, ref c10, ref c11, ref c12, ref c13, ref c14, ref c15,
                a + step, stride, stride2, stride3, stride4, b + bStep);
            a += 2 * step;
            b += 2 * bStep;
        }

        TVector alphas = TOps.Broadcast(alpha);
        if (beta == 0f)
        {
            TileWriter<TOps, TVector>.Store<TAlpha>(c0, alphas, c + (0 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c1, alphas, c + (1 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c2, alphas, c + (2 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c3, alphas, c + (3 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c4, alphas, c + (4 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c5, alphas, c + (5 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c6, alphas, c + (6 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c7, alphas, c + (7 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c8, alphas, c + (8 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c9, alphas, c + (9 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c10, alphas, c + (10 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c11, alphas, c + (11 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c12, alphas, c + (12 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c13, alphas, c + (13 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c14, alphas, c + (14 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c15, alphas, c + (15 * ldc));
        }
        else
        {
            TVector betas = TOps.Broadcast(beta);
            TileWriter<TOps, TVector>.Update<TAlpha>(c0, alphas, betas, c + (0 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c1, alphas, betas, c + (1 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c2, alphas, betas, c + (2 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c3, alphas, betas, c + (3 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c4, alphas, betas, c + (4 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c5, alphas, betas, c + (5 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c6, alphas, betas, c + (6 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c7, alphas, betas, c + (7 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c8, alphas, betas, c + (8 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c9, alphas, betas, c + (9 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c10, alphas, betas, c + (10 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c11, alphas, betas, c + (11 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c12, alphas, betas, c + (12 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c13, alphas, betas, c + (13 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c14, alphas, betas, c + (14 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c15, alphas, betas, c + (15 * ldc));
        }
    }

    /// <summary>The whole tile: it is one vector wide already.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunHalf<TLayout, TAlpha>(int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
        where TLayout : struct, IPanelLayout
        where TAlpha : struct, IAlphaScale =>
        Run<TLayout, TAlpha>(kc, a, aRowStride, aStep, b, bStep, c, ldc, alpha, beta);

    /// <summary>One step of k: the tile plus the outer product of the A panel's column and the B panel's row at this step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TLayout>(
        ref TVector c0, ref TVector c1, ref TVector c2, ref TVector c3, ref TVector c4, ref TVector c5, ref TVector c6, ref TVector c7,
        ref TVector c8, ref TVector c9, ref TVector c10, ref TVector c11, ref TVector c12, ref TVector c13, ref TVector c14, ref TVector c15,
        float* a,
        nint stride,
        nint stride2,
        nint stride3,
        nint stride4,
        float* b)
        where TLayout : struct, IPanelLayout
    {
        // Unused, and dropped by the JIT, when the rows are adjacent.
        float* from4 = a + stride4;
        float* from8 = from4 + stride4;
        float* from12 = from8 + stride4;
        TVector b0 = TOps.Load(b);

        // Each broadcast goes through one local, as in the other kernels; the JIT still folds it
        // into its multiply-add ({1to16}). Written as one nested expression per row instead, the
        // two-step loop kept 13 of the 16 accumulators on the stack (a load and a store around
        // every multiply-add): 3-4x slower, seen in the JIT's output.
        TVector x = TOps.Broadcast(a[0]);
        c0 = TOps.MultiplyAdd(x, b0, c0);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[1] : a[stride]);
        c1 = TOps.MultiplyAdd(x, b0, c1);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[2] : a[stride2]);
        c2 = TOps.MultiplyAdd(x, b0, c2);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[3] : a[stride3]);
        c3 = TOps.MultiplyAdd(x, b0, c3);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[4] : from4[0]);
        c4 = TOps.MultiplyAdd(x, b0, c4);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[5] : from4[stride]);
        c5 = TOps.MultiplyAdd(x, b0, c5);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[6] : from4[stride2]);
        c6 = TOps.MultiplyAdd(x, b0, c6);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[7] : from4[stride3]);
        c7 = TOps.MultiplyAdd(x, b0, c7);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[8] : from8[0]);
        c8 = TOps.MultiplyAdd(x, b0, c8);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[9] : from8[stride]);
        c9 = TOps.MultiplyAdd(x, b0, c9);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[10] : from8[stride2]);
        c10 = TOps.MultiplyAdd(x, b0, c10);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[11] : from8[stride3]);
        c11 = TOps.MultiplyAdd(x, b0, c11);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[12] : from12[0]);
        c12 = TOps.MultiplyAdd(x, b0, c12);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[13] : from12[stride]);
        c13 = TOps.MultiplyAdd(x, b0, c13);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[14] : from12[stride2]);
        c14 = TOps.MultiplyAdd(x, b0, c14);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[15] : from12[stride3]);
        c15 = TOps.MultiplyAdd(x, b0, c15);
    }
}
