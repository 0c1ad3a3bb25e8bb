using System.Runtime.CompilerServices;

namespace TinyNet.Kernels;

/// <summary>
/// The 8 x (2 vectors) micro-kernel: 16 vector accumulators, fully unrolled, with one
/// broadcast of A and two loads of B per step of k.
/// For row counts that are multiples of 8 but not of 12 (32, 64, 128, ...), where the 12-row
/// kernel would waste a part of its last tile; it gives bitwise the same results.
/// </summary>
/// <typeparam name="TOps">The vector operations of one width.</typeparam>
/// <typeparam name="TVector">The vector type of that width.</typeparam>
internal readonly unsafe struct Kernel8x2<TOps, TVector> : IMicroKernel
    where TOps : struct, ISimd<TVector>
    where TVector : struct
{
    public static int Rows => 8;

    public static int Columns => 2 * TOps.Width;

    public static int Width => TOps.Width;

    public static bool IsSupported => TOps.IsSupported;

    /// <inheritdoc cref="IMicroKernel.Run"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
    {
        int width = TOps.Width;
        TVector c00 = TOps.Zero, c01 = TOps.Zero;
        TVector c10 = TOps.Zero, c11 = TOps.Zero;
        TVector c20 = TOps.Zero, c21 = TOps.Zero;
        TVector c30 = TOps.Zero, c31 = TOps.Zero;
        TVector c40 = TOps.Zero, c41 = TOps.Zero;
        TVector c50 = TOps.Zero, c51 = TOps.Zero;
        TVector c60 = TOps.Zero, c61 = TOps.Zero;
        TVector c70 = TOps.Zero, c71 = TOps.Zero;

        // Row i of A is i * aRowStride from row 0: four rows per base pointer, each reached by an
        // x86 addressing mode [base + index * 4], so a row stride costs no instruction.
        nint aRowStride2 = 2 * aRowStride;
        nint aRowStride3 = 3 * aRowStride;
        float* aFrom4 = a + (4 * aRowStride);

        // The k loop: one rank-1 update of the whole tile per step.
        for (int p = 0; p < kc; p++)
        {
            TVector b0 = TOps.Load(b);
            TVector b1 = TOps.Load(b + width);
            TVector a0 = TOps.Broadcast(a[0]);
            c00 = TOps.MultiplyAdd(a0, b0, c00);
            c01 = TOps.MultiplyAdd(a0, b1, c01);
            TVector a1 = TOps.Broadcast(a[aRowStride]);
            c10 = TOps.MultiplyAdd(a1, b0, c10);
            c11 = TOps.MultiplyAdd(a1, b1, c11);
            TVector a2 = TOps.Broadcast(a[aRowStride2]);
            c20 = TOps.MultiplyAdd(a2, b0, c20);
            c21 = TOps.MultiplyAdd(a2, b1, c21);
            TVector a3 = TOps.Broadcast(a[aRowStride3]);
            c30 = TOps.MultiplyAdd(a3, b0, c30);
            c31 = TOps.MultiplyAdd(a3, b1, c31);
            TVector a4 = TOps.Broadcast(aFrom4[0]);
            c40 = TOps.MultiplyAdd(a4, b0, c40);
            c41 = TOps.MultiplyAdd(a4, b1, c41);
            TVector a5 = TOps.Broadcast(aFrom4[aRowStride]);
            c50 = TOps.MultiplyAdd(a5, b0, c50);
            c51 = TOps.MultiplyAdd(a5, b1, c51);
            TVector a6 = TOps.Broadcast(aFrom4[aRowStride2]);
            c60 = TOps.MultiplyAdd(a6, b0, c60);
            c61 = TOps.MultiplyAdd(a6, b1, c61);
            TVector a7 = TOps.Broadcast(aFrom4[aRowStride3]);
            c70 = TOps.MultiplyAdd(a7, b0, c70);
            c71 = TOps.MultiplyAdd(a7, b1, c71);
            a += aStep;
            aFrom4 += aStep;
            b += bStep;
        }

        TVector alphas = TOps.Broadcast(alpha);
        if (beta == 0f)
        {
            TileWriter<TOps, TVector>.Store(c00, c01, alphas, c + (0 * ldc));
            TileWriter<TOps, TVector>.Store(c10, c11, alphas, c + (1 * ldc));
            TileWriter<TOps, TVector>.Store(c20, c21, alphas, c + (2 * ldc));
            TileWriter<TOps, TVector>.Store(c30, c31, alphas, c + (3 * ldc));
            TileWriter<TOps, TVector>.Store(c40, c41, alphas, c + (4 * ldc));
            TileWriter<TOps, TVector>.Store(c50, c51, alphas, c + (5 * ldc));
            TileWriter<TOps, TVector>.Store(c60, c61, alphas, c + (6 * ldc));
            TileWriter<TOps, TVector>.Store(c70, c71, alphas, c + (7 * ldc));
        }
        else
        {
            TVector betas = TOps.Broadcast(beta);
            TileWriter<TOps, TVector>.Update(c00, c01, alphas, betas, c + (0 * ldc));
            TileWriter<TOps, TVector>.Update(c10, c11, alphas, betas, c + (1 * ldc));
            TileWriter<TOps, TVector>.Update(c20, c21, alphas, betas, c + (2 * ldc));
            TileWriter<TOps, TVector>.Update(c30, c31, alphas, betas, c + (3 * ldc));
            TileWriter<TOps, TVector>.Update(c40, c41, alphas, betas, c + (4 * ldc));
            TileWriter<TOps, TVector>.Update(c50, c51, alphas, betas, c + (5 * ldc));
            TileWriter<TOps, TVector>.Update(c60, c61, alphas, betas, c + (6 * ldc));
            TileWriter<TOps, TVector>.Update(c70, c71, alphas, betas, c + (7 * ldc));
        }
    }
}
