using System.Runtime.CompilerServices;

namespace TinyNet.Kernels;

/// <summary>
/// The 12 x (2 vectors) micro-kernel: 24 vector accumulators, fully unrolled, with two loads of
/// B and a broadcast of each of the 12 elements of A per step of k.
/// Sized for 32 vector registers (AVX-512): 24 accumulators, 2 B vectors, 1 broadcast.
/// </summary>
/// <remarks>
/// With the rows of A adjacent (packed, or a transposed A read in place), the multiply-adds of
/// rows 0-7 take their element of A straight from memory as an embedded broadcast ({1to16}),
/// once for each vector of B, and rows 8-11 broadcast theirs into a register once for both. A
/// step is then 30 instructions instead of 38 (2 loads, 12 broadcasts, 24 multiply-adds) and 22
/// reads of memory, fewer than the two a cycle the core sustains over the 12 cycles of its
/// multiply-adds. What it saves is instruction issue, which a core shares with its sibling
/// hyperthread, so it shows when the cores are busy or both in use. With a plain A read in place
/// (adjacent steps) every row keeps one broadcast, and the 8-row kernel keeps one broadcast per
/// row too: docs/gemm.md gives the figures.
/// </remarks>
/// <typeparam name="TOps">The vector operations of one width.</typeparam>
/// <typeparam name="TVector">The vector type of that width.</typeparam>
internal readonly unsafe struct Kernel12x2<TOps, TVector> : IMicroKernel
    where TOps : struct, ISimd<TVector>
    where TVector : struct
{
    public static int Rows => 12;

    public static int Columns => 2 * TOps.Width;

    public static int Width => TOps.Width;

    public static bool IsSupported => TOps.IsSupported;

    /// <inheritdoc cref="IMicroKernel.Run{TLayout, TAlpha}"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TLayout, TAlpha>(int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
        where TLayout : struct, IPanelLayout
        where TAlpha : struct, IAlphaScale
    {
        TVector c00 = TOps.Zero, c01 = TOps.Zero;
        TVector c10 = TOps.Zero, c11 = TOps.Zero;
        TVector c20 = TOps.Zero, c21 = TOps.Zero;
        TVector c30 = TOps.Zero, c31 = TOps.Zero;
        TVector c40 = TOps.Zero, c41 = TOps.Zero;
        TVector c50 = TOps.Zero, c51 = TOps.Zero;
        TVector c60 = TOps.Zero, c61 = TOps.Zero;
        TVector c70 = TOps.Zero, c71 = TOps.Zero;
        TVector c80 = TOps.Zero, c81 = TOps.Zero;
        TVector c90 = TOps.Zero, c91 = TOps.Zero;
        TVector c100 = TOps.Zero, c101 = TOps.Zero;
        TVector c110 = TOps.Zero, c111 = TOps.Zero;

        (nint stride, nint stride2, nint stride3, nint stride4, nint step) = PanelRows.Strides<TLayout>(aRowStride, aStep);

        // The k loop, two steps per iteration (and an odd first step before it), so that its own
        // instructions (advancing the pointers, counting) are paid once per 48 multiply-adds:
        // the loop issues about 4 instructions a cycle, as many as a core of this family issues
        // (and it shares them with a sibling hyperthread). Each element is still summed over
        // p = 0 .. kc - 1 in order.
        int p = 0;
        if ((kc & 1) != 0)
        {
            Step<TLayout>(
                ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31,
                ref c40, ref c41, ref c50, ref c51, ref c60, ref c61, ref c70, ref c71,
                ref c80, ref c81, ref c90, ref c91, ref c100, ref c101, ref c110, ref c111,
                a, stride, stride2, stride3, stride4, b);
            a += step;
            b += bStep;
            p = 1;
        }

        for (; p < kc; p += 2)
        {
            Step<TLayout>(
                ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31,
                ref c40, ref c41, ref c50, ref c51, ref c60, ref c61, ref c70, ref c71,
                ref c80, ref c81, ref c90, ref c91, ref c100, ref c101, ref c110, ref c111,
                a, stride, stride2, stride3, stride4, b);
            Step<TLayout>(
                ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31,
                ref c40, ref c41, ref c50, ref c51, ref c60, ref c61, ref c70, ref c71,
                ref c80, ref c81, ref c90, ref c91, ref c100, ref c101, ref c110, ref c111,
                a + step, stride, stride2, stride3, stride4, b + bStep);
            a += 2 * step;
            b += 2 * bStep;
        }

        TVector alphas = TOps.Broadcast(alpha);
        if (beta == 0f)
        {
            TileWriter<TOps, TVector>.Store<TAlpha>(c00, c01, alphas, c + (0 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c10, c11, alphas, c + (1 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c20, c21, alphas, c + (2 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c30, c31, alphas, c + (3 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c40, c41, alphas, c + (4 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c50, c51, alphas, c + (5 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c60, c61, alphas, c + (6 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c70, c71, alphas, c + (7 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c80, c81, alphas, c + (8 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c90, c91, alphas, c + (9 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c100, c101, alphas, c + (10 * ldc));
            TileWriter<TOps, TVector>.Store<TAlpha>(c110, c111, alphas, c + (11 * ldc));
        }
        else
        {
            TVector betas = TOps.Broadcast(beta);
            TileWriter<TOps, TVector>.Update<TAlpha>(c00, c01, alphas, betas, c + (0 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c10, c11, alphas, betas, c + (1 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c20, c21, alphas, betas, c + (2 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c30, c31, alphas, betas, c + (3 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c40, c41, alphas, betas, c + (4 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c50, c51, alphas, betas, c + (5 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c60, c61, alphas, betas, c + (6 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c70, c71, alphas, betas, c + (7 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c80, c81, alphas, betas, c + (8 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c90, c91, alphas, betas, c + (9 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c100, c101, alphas, betas, c + (10 * ldc));
            TileWriter<TOps, TVector>.Update<TAlpha>(c110, c111, alphas, betas, c + (11 * ldc));
        }
    }

    /// <inheritdoc cref="IMicroKernel.RunHalf{TLayout, TAlpha}"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunHalf<TLayout, TAlpha>(int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
        where TLayout : struct, IPanelLayout
        where TAlpha : struct, IAlphaScale =>
        HalfTile<TOps, TVector, Kernel12x2<TOps, TVector>>.Run<TLayout, TAlpha>(kc, a, aRowStride, aStep, b, bStep, c, ldc, alpha, beta);

    /// <summary>One step of k: the tile plus the outer product of the A panel's column and the B panel's row at this step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TLayout>(
        ref TVector c00, ref TVector c01, ref TVector c10, ref TVector c11, ref TVector c20, ref TVector c21, ref TVector c30, ref TVector c31,
        ref TVector c40, ref TVector c41, ref TVector c50, ref TVector c51, ref TVector c60, ref TVector c61, ref TVector c70, ref TVector c71,
        ref TVector c80, ref TVector c81, ref TVector c90, ref TVector c91, ref TVector c100, ref TVector c101, ref TVector c110, ref TVector c111,
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
        TVector b0 = TOps.Load(b);
        TVector b1 = TOps.Load(b + TOps.Width);
        TVector x = TOps.Broadcast(a[0]);
        c00 = TOps.MultiplyAdd(x, b0, c00);
        x = Again<TLayout>(x, a);
        c01 = TOps.MultiplyAdd(x, b1, c01);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[1] : a[stride]);
        c10 = TOps.MultiplyAdd(x, b0, c10);
        x = Again<TLayout>(x, a + 1);
        c11 = TOps.MultiplyAdd(x, b1, c11);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[2] : a[stride2]);
        c20 = TOps.MultiplyAdd(x, b0, c20);
        x = Again<TLayout>(x, a + 2);
        c21 = TOps.MultiplyAdd(x, b1, c21);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[3] : a[stride3]);
        c30 = TOps.MultiplyAdd(x, b0, c30);
        x = Again<TLayout>(x, a + 3);
        c31 = TOps.MultiplyAdd(x, b1, c31);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[4] : from4[0]);
        c40 = TOps.MultiplyAdd(x, b0, c40);
        x = Again<TLayout>(x, a + 4);
        c41 = TOps.MultiplyAdd(x, b1, c41);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[5] : from4[stride]);
        c50 = TOps.MultiplyAdd(x, b0, c50);
        x = Again<TLayout>(x, a + 5);
        c51 = TOps.MultiplyAdd(x, b1, c51);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[6] : from4[stride2]);
        c60 = TOps.MultiplyAdd(x, b0, c60);
        x = Again<TLayout>(x, a + 6);
        c61 = TOps.MultiplyAdd(x, b1, c61);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[7] : from4[stride3]);
        c70 = TOps.MultiplyAdd(x, b0, c70);
        x = Again<TLayout>(x, a + 7);
        c71 = TOps.MultiplyAdd(x, b1, c71);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[8] : from8[0]);
        c80 = TOps.MultiplyAdd(x, b0, c80);
        c81 = TOps.MultiplyAdd(x, b1, c81);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[9] : from8[stride]);
        c90 = TOps.MultiplyAdd(x, b0, c90);
        c91 = TOps.MultiplyAdd(x, b1, c91);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[10] : from8[stride2]);
        c100 = TOps.MultiplyAdd(x, b0, c100);
        c101 = TOps.MultiplyAdd(x, b1, c101);
        x = TOps.Broadcast(TLayout.RowsAdjacent ? a[11] : from8[stride3]);
        c110 = TOps.MultiplyAdd(x, b0, c110);
        c111 = TOps.MultiplyAdd(x, b1, c111);
    }

    /// <summary>
    /// A row's broadcast for its second multiply-add. With adjacent rows, the element is read
    /// again, so that both multiply-adds take it straight from memory as an embedded broadcast
    /// ({1to16}); the read is volatile because the JIT merges two plain reads of one element
    /// into a separate broadcast instruction feeding both.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Again<TLayout>(TVector x, float* element)
        where TLayout : struct, IPanelLayout =>
        TLayout.RowsAdjacent ? TOps.Broadcast(Volatile.Read(ref *element)) : x;
}
