using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BlockedGemm = TinyNet.Kernels.GemmDriver<TinyNet.Kernels.Kernel12x2<TinyNet.Kernels.Vector512Simd, System.Runtime.Intrinsics.Vector512<float>>>;

namespace TinyNet.Kernels;

/// <summary>
/// C = alpha * Aᵀ * B + beta * C on AVX-512 for a C of at most 3 columns, such as the weight
/// gradient of a layer with 2 inputs (dW = dYᵀ X, the sample's first layer). The blocked path
/// computes such a C in 16-column tiles, 13 or more of them padding, and merges every tile from
/// the side; here the rows of the stored A (adjacent along m) are the vectors: a tile is 64 rows
/// of C, four vectors per column, and each step of k adds a row of A times the step's 1-3 floats
/// of B, broadcast. Nothing is packed. Against the blocked path at 64x128 * 128x2 (the sample's
/// 2-64 layer at batch 128): about 5x (0.13x OpenBLAS before, 0.4-0.6x now, interleaved); at
/// 2048x1024 * 1024x2 it runs 2.4x OpenBLAS.
/// </summary>
/// <remarks>
/// Each element is summed in order with fused multiply-adds over each block of
/// <see cref="GemmDriver{TKernel}.DepthBlock"/> steps of k and added to C as the blocked kernels
/// add theirs (<c>alpha * sum</c> or <c>fma(beta, C, alpha * sum)</c> for the first block,
/// <c>C + alpha * sum</c> for later ones), so the results are bitwise theirs. Rows past the edge
/// of a tile are masked off: not read, not written.
/// </remarks>
internal static unsafe class ThinGemm
{
    /// <summary>The widest C this path takes.</summary>
    internal const int MaxColumns = 3;

    /// <summary>The rows of C in a tile: four vectors per column, so 4-12 independent sums a step.</summary>
    private const int TileRows = 64;

    private const int Width = 16;

    [ThreadStatic]
    private static Job? t_job;

    /// <summary>Runs on this hardware: AVX-512, for the masked loads.</summary>
    public static bool IsSupported => Vector512Simd.IsSupported;

    /// <summary>True for Aᵀ * B (or Aᵀ * Bᵀ) with at most <see cref="MaxColumns"/> columns.</summary>
    public static bool Suits(int n, bool transposeA) => transposeA && n <= MaxColumns;

    /// <summary>Runs the whole product on up to <paramref name="maxThreads"/> threads.</summary>
    public static void Multiply(in GemmArguments args, int maxThreads)
    {
        int tiles = (args.M + TileRows - 1) / TileRows;
        int runs = TileRuns.Count(args, tiles, maxThreads);
        if (runs <= 1)
        {
            Run(args, 0, tiles);
            return;
        }

        Job job = t_job ??= new Job();
        job.Set(args);
        job.RunInParts(tiles, runs, maxThreads);
    }

    /// <summary>Computes row tiles [firstTile, endTile).</summary>
    private static void Run(in GemmArguments args, int firstTile, int endTile)
    {
        switch (args.N)
        {
            case 1:
                Run<One>(args, firstTile, endTile);
                break;
            case 2:
                Run<Two>(args, firstTile, endTile);
                break;
            default:
                Run<Three>(args, firstTile, endTile);
                break;
        }
    }

    /// <summary>Computes row tiles [firstTile, endTile) of a C <typeparamref name="TColumns"/> wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void Run<TColumns>(in GemmArguments args, int firstTile, int endTile)
        where TColumns : struct, IColumns
    {
        float* sums = stackalloc float[TileRows * MaxColumns];
        for (int tile = firstTile; tile < endTile; tile++)
        {
            int row = tile * TileRows;
            int rows = Math.Min(TileRows, args.M - row);

            // k in the blocked path's blocks, each summed alone and added to C (the first with
            // beta, later ones with 1), so that the sums round as theirs do.
            for (int pc = 0; pc < args.K; pc += BlockedGemm.DepthBlock)
            {
                Tile<TColumns>(args, row, rows, pc, Math.Min(BlockedGemm.DepthBlock, args.K - pc), sums);
                DotProductGemm.WriteScalar(
                    sums, args.C + (row * args.Ldc), args.Ldc, pc == 0 ? args.Beta : 1f, rows, args.N, rowStep: 1, columnStep: TileRows);
            }
        }
    }

    /// <summary>
    /// alpha times the sums over steps [pc, pc + kc) of rows [row, row + rows) of C, column j's
    /// at sums[j * 64 ..], for <see cref="DotProductGemm.WriteScalar"/> to add to C by the
    /// micro-kernels' rule: four vectors of A per step (masked past the last row: no memory past
    /// the tile's rows is read), each times the step's floats of B.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<TColumns>(in GemmArguments args, int row, int rows, int pc, int kc, float* sums)
        where TColumns : struct, IColumns
    {
        Vector512<float> m0 = DotProductGemm.LanesBelow(rows), m1 = DotProductGemm.LanesBelow(rows - Width);
        Vector512<float> m2 = DotProductGemm.LanesBelow(rows - (2 * Width)), m3 = DotProductGemm.LanesBelow(rows - (3 * Width));
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default;
        nint aStep = args.ColumnStrideA;
        nint bStep = args.RowStrideB;
        nint bColumn = args.ColumnStrideB;
        float* a = args.A + row + (pc * aStep);
        float* b = args.B + (pc * bStep);
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> a0 = Avx512F.MaskLoad(a, m0, Vector512<float>.Zero);
            Vector512<float> a1 = Avx512F.MaskLoad(a + Width, m1, Vector512<float>.Zero);
            Vector512<float> a2 = Avx512F.MaskLoad(a + (2 * Width), m2, Vector512<float>.Zero);
            Vector512<float> a3 = Avx512F.MaskLoad(a + (3 * Width), m3, Vector512<float>.Zero);
            Vector512<float> x = Vector512.Create(b[0]);
            s00 = Vector512.FusedMultiplyAdd(a0, x, s00);
            s01 = Vector512.FusedMultiplyAdd(a1, x, s01);
            s02 = Vector512.FusedMultiplyAdd(a2, x, s02);
            s03 = Vector512.FusedMultiplyAdd(a3, x, s03);
            if (TColumns.Count > 1)
            {
                x = Vector512.Create(b[bColumn]);
                s10 = Vector512.FusedMultiplyAdd(a0, x, s10);
                s11 = Vector512.FusedMultiplyAdd(a1, x, s11);
                s12 = Vector512.FusedMultiplyAdd(a2, x, s12);
                s13 = Vector512.FusedMultiplyAdd(a3, x, s13);
            }

            if (TColumns.Count > 2)
            {
                x = Vector512.Create(b[2 * bColumn]);
                s20 = Vector512.FusedMultiplyAdd(a0, x, s20);
                s21 = Vector512.FusedMultiplyAdd(a1, x, s21);
                s22 = Vector512.FusedMultiplyAdd(a2, x, s22);
                s23 = Vector512.FusedMultiplyAdd(a3, x, s23);
            }

            a += aStep;
            b += bStep;
        }

        Vector512<float> alpha = Vector512.Create(args.Alpha);
        Store(alpha * s00, alpha * s01, alpha * s02, alpha * s03, sums);
        if (TColumns.Count > 1)
        {
            Store(alpha * s10, alpha * s11, alpha * s12, alpha * s13, sums + TileRows);
        }

        if (TColumns.Count > 2)
        {
            Store(alpha * s20, alpha * s21, alpha * s22, alpha * s23, sums + (2 * TileRows));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3, float* to)
    {
        s0.Store(to);
        s1.Store(to + Width);
        s2.Store(to + (2 * Width));
        s3.Store(to + (3 * Width));
    }

    /// <summary>How many columns of C a compiled copy of the loop computes, as a type.</summary>
    private interface IColumns
    {
        static abstract int Count { get; }
    }

    private readonly struct One : IColumns
    {
        public static int Count => 1;
    }

    private readonly struct Two : IColumns
    {
        public static int Count => 2;
    }

    private readonly struct Three : IColumns
    {
        public static int Count => 3;
    }

    /// <summary>The runs of tiles of one parallel call.</summary>
    private sealed class Job : TileRuns
    {
        private GemmArguments _args;

        public void Set(in GemmArguments args) => _args = args;

        protected override void RunTiles(int firstTile, int endTile) => Run(_args, firstTile, endTile);

        protected override void Clear() => _args = default;
    }
}
