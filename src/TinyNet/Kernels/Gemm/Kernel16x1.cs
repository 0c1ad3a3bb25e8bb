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

    /// <inheritdoc cref="IMicroKernel.Run"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
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

        // Row i of A is i * aRowStride from row 0: four rows per base pointer, each reached by an
        // x86 addressing mode [base + index * 4], so a row stride costs no instruction.
        nint aRowStride2 = 2 * aRowStride;
        nint aRowStride3 = 3 * aRowStride;
        float* aFrom4 = a + (4 * aRowStride);
        float* aFrom8 = a + (8 * aRowStride);
        float* aFrom12 = a + (12 * aRowStride);

        // The k loop: one rank-1 update of the whole tile per step.
        for (int p = 0; p < kc; p++)
        {
            TVector b0 = TOps.Load(b);
            c0 = TOps.MultiplyAdd(TOps.Broadcast(a[0]), b0, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(a[aRowStride]), b0, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(a[aRowStride2]), b0, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(a[aRowStride3]), b0, c3);
            c4 = TOps.MultiplyAdd(TOps.Broadcast(aFrom4[0]), b0, c4);
            c5 = TOps.MultiplyAdd(TOps.Broadcast(aFrom4[aRowStride]), b0, c5);
            c6 = TOps.MultiplyAdd(TOps.Broadcast(aFrom4[aRowStride2]), b0, c6);
            c7 = TOps.MultiplyAdd(TOps.Broadcast(aFrom4[aRowStride3]), b0, c7);
            c8 = TOps.MultiplyAdd(TOps.Broadcast(aFrom8[0]), b0, c8);
            c9 = TOps.MultiplyAdd(TOps.Broadcast(aFrom8[aRowStride]), b0, c9);
            c10 = TOps.MultiplyAdd(TOps.Broadcast(aFrom8[aRowStride2]), b0, c10);
            c11 = TOps.MultiplyAdd(TOps.Broadcast(aFrom8[aRowStride3]), b0, c11);
            c12 = TOps.MultiplyAdd(TOps.Broadcast(aFrom12[0]), b0, c12);
            c13 = TOps.MultiplyAdd(TOps.Broadcast(aFrom12[aRowStride]), b0, c13);
            c14 = TOps.MultiplyAdd(TOps.Broadcast(aFrom12[aRowStride2]), b0, c14);
            c15 = TOps.MultiplyAdd(TOps.Broadcast(aFrom12[aRowStride3]), b0, c15);
            a += aStep;
            aFrom4 += aStep;
            aFrom8 += aStep;
            aFrom12 += aStep;
            b += bStep;
        }

        TVector alphas = TOps.Broadcast(alpha);
        if (beta == 0f)
        {
            TileWriter<TOps, TVector>.Store(c0, alphas, c + (0 * ldc));
            TileWriter<TOps, TVector>.Store(c1, alphas, c + (1 * ldc));
            TileWriter<TOps, TVector>.Store(c2, alphas, c + (2 * ldc));
            TileWriter<TOps, TVector>.Store(c3, alphas, c + (3 * ldc));
            TileWriter<TOps, TVector>.Store(c4, alphas, c + (4 * ldc));
            TileWriter<TOps, TVector>.Store(c5, alphas, c + (5 * ldc));
            TileWriter<TOps, TVector>.Store(c6, alphas, c + (6 * ldc));
            TileWriter<TOps, TVector>.Store(c7, alphas, c + (7 * ldc));
            TileWriter<TOps, TVector>.Store(c8, alphas, c + (8 * ldc));
            TileWriter<TOps, TVector>.Store(c9, alphas, c + (9 * ldc));
            TileWriter<TOps, TVector>.Store(c10, alphas, c + (10 * ldc));
            TileWriter<TOps, TVector>.Store(c11, alphas, c + (11 * ldc));
            TileWriter<TOps, TVector>.Store(c12, alphas, c + (12 * ldc));
            TileWriter<TOps, TVector>.Store(c13, alphas, c + (13 * ldc));
            TileWriter<TOps, TVector>.Store(c14, alphas, c + (14 * ldc));
            TileWriter<TOps, TVector>.Store(c15, alphas, c + (15 * ldc));
        }
        else
        {
            TVector betas = TOps.Broadcast(beta);
            TileWriter<TOps, TVector>.Update(c0, alphas, betas, c + (0 * ldc));
            TileWriter<TOps, TVector>.Update(c1, alphas, betas, c + (1 * ldc));
            TileWriter<TOps, TVector>.Update(c2, alphas, betas, c + (2 * ldc));
            TileWriter<TOps, TVector>.Update(c3, alphas, betas, c + (3 * ldc));
            TileWriter<TOps, TVector>.Update(c4, alphas, betas, c + (4 * ldc));
            TileWriter<TOps, TVector>.Update(c5, alphas, betas, c + (5 * ldc));
            TileWriter<TOps, TVector>.Update(c6, alphas, betas, c + (6 * ldc));
            TileWriter<TOps, TVector>.Update(c7, alphas, betas, c + (7 * ldc));
            TileWriter<TOps, TVector>.Update(c8, alphas, betas, c + (8 * ldc));
            TileWriter<TOps, TVector>.Update(c9, alphas, betas, c + (9 * ldc));
            TileWriter<TOps, TVector>.Update(c10, alphas, betas, c + (10 * ldc));
            TileWriter<TOps, TVector>.Update(c11, alphas, betas, c + (11 * ldc));
            TileWriter<TOps, TVector>.Update(c12, alphas, betas, c + (12 * ldc));
            TileWriter<TOps, TVector>.Update(c13, alphas, betas, c + (13 * ldc));
            TileWriter<TOps, TVector>.Update(c14, alphas, betas, c + (14 * ldc));
            TileWriter<TOps, TVector>.Update(c15, alphas, betas, c + (15 * ldc));
        }
    }
}
