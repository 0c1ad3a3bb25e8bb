using System.Runtime.Intrinsics;
using TinyNet.Kernels;

namespace TinyNet.Tests.Kernels;

[TestFixture]
public sealed class GemmTests
{
    private static readonly GemmKernel[] s_fastKernels =
        [GemmKernel.Scalar, GemmKernel.Vector128, GemmKernel.Vector256, GemmKernel.Vector512];

    /// <summary>Shapes (m, n, k) with 1, primes, the vector widths +-1, and sizes above 1000.</summary>
    private static readonly (int M, int N, int K)[] s_shapes =
    [
        (1, 1, 1), (1, 7, 1), (3, 1, 5), (1, 1, 13), (2, 3, 4), (5, 7, 11), (13, 17, 19),
        (15, 16, 17), (16, 16, 16), (17, 15, 16), (31, 32, 33), (32, 33, 31), (33, 31, 32),
        (12, 32, 256), (13, 33, 257), (24, 64, 255), (97, 101, 103), (128, 10, 256),
        (1031, 3, 17), (5, 1025, 7), (7, 9, 1201), (61, 130, 600), (257, 67, 300),
        (341, 1100, 300), // on several threads, rows split over a shared B: 3 column blocks, 2 k blocks, a partial panel.
        (29, 70, 2048), // k a multiple of 1024: a plain A is packed (its rows would share an L1 set).
    ];

    private static IEnumerable<TestCaseData> KernelsAndTransposes()
    {
        foreach (GemmKernel kernel in Enum.GetValues<GemmKernel>())
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    yield return new TestCaseData(kernel, transposeA, transposeB);
                }
            }
        }
    }

    [TestCaseSource(nameof(KernelsAndTransposes))]
    public void Every_variant_matches_MathNet_on_awkward_shapes(GemmKernel kernel, bool transposeA, bool transposeB)
    {
        RequireSupported(kernel);
        int seed = 0;
        foreach ((int m, int n, int k) in s_shapes)
        {
            if (kernel == GemmKernel.Reference && (long)m * n * k > 2_000_000)
            {
                continue; // The triple loop is checked on the smaller shapes; it is the slow oracle.
            }

            float[] a = GemmOracle.Random(m * k, ++seed);
            float[] b = GemmOracle.Random(k * n, ++seed);
            float[] c = new float[m * n];
            Gemm.MultiplyWith(kernel, a, b, c, m, n, k, transposeA, transposeB);
            GemmOracle.AssertProduct(c, a, b, c, m, n, k, transposeA, transposeB, 1f, 0f);
        }
    }

    [TestCase(GemmKernel.Reference)]
    [TestCase(GemmKernel.Scalar)]
    [TestCase(GemmKernel.Vector128)]
    [TestCase(GemmKernel.Vector256)]
    [TestCase(GemmKernel.Vector512)]
    public void Alpha_and_beta_scale_the_product_and_the_old_C(GemmKernel kernel)
    {
        RequireSupported(kernel);
        foreach ((float alpha, float beta) in new[] { (2.5f, 0f), (1f, 1f), (-0.5f, 0.75f), (0.3f, -2f) })
        {
            foreach ((int m, int n, int k) in new[] { (17, 33, 31), (40, 70, 300) })
            {
                float[] a = GemmOracle.Random(m * k, 1);
                float[] b = GemmOracle.Random(k * n, 2);
                float[] c0 = GemmOracle.Random(m * n, 3);
                float[] c = (float[])c0.Clone();
                Gemm.MultiplyWith(kernel, a, b, c, m, n, k, transposeA: true, transposeB: false, alpha, beta);
                GemmOracle.AssertProduct(c, a, b, c0, m, n, k, true, false, alpha, beta);
            }
        }
    }

    [TestCase(GemmKernel.Reference)]
    [TestCase(GemmKernel.Scalar)]
    [TestCase(GemmKernel.Vector128)]
    [TestCase(GemmKernel.Vector256)]
    [TestCase(GemmKernel.Vector512)]
    public void Beta_zero_never_reads_C(GemmKernel kernel)
    {
        RequireSupported(kernel);
        foreach ((int m, int n, int k) in new[] { (1, 1, 1), (13, 35, 7), (64, 64, 300) })
        {
            float[] a = GemmOracle.Random(m * k, 4);
            float[] b = GemmOracle.Random(k * n, 5);
            float[] c = Enumerable.Repeat(float.NaN, m * n).ToArray();
            Gemm.MultiplyWith(kernel, a, b, c, m, n, k);
            GemmOracle.AssertProduct(c, a, b, c, m, n, k, false, false, 1f, 0f);
        }
    }

    [Test]
    public void The_SIMD_variants_give_bitwise_the_same_result_as_the_scalar_one(
        [Values] bool transposeA, [Values] bool transposeB)
    {
        // Every packed variant sums each element over the same k blocks, in order, with fused
        // multiply-adds, so their results agree to the bit whatever MR and NR they use, and
        // whether they read an operand in place or packed. The shapes pick both the 12-row and
        // the 8-row AVX-512 kernels (m = 10, 36 and m = 13, 47, 64, 100), small m (B read in place)
        // and large m (B packed), and narrow n (the one-vector AVX-512 kernel). AVX-512's
        // dot-product and narrow paths (A * Bᵀ, or a single row or column, with n < 16 or m < 8)
        // and AVX2's narrow one (A * Bᵀ with 1 to 15 columns and m of 8 or more) sum in other
        // orders: they are checked against MathNet instead, and are left out here where the plan
        // sends a shape to them.
        foreach ((int m, int n, int k) in new[] { (13, 47, 300), (100, 37, 513), (1, 129, 1), (36, 64, 64), (47, 33, 257), (64, 64, 64), (200, 70, 30), (128, 10, 256), (37, 16, 300), (5, 1, 9), (36, 48, 40), (64, 80, 33), (24, 24, 17), (10, 48, 300) })
        {
            float[] a = GemmOracle.Random(m * k, 6);
            float[] b = GemmOracle.Random(n * k, 7);
            float[] c0 = GemmOracle.Random(m * n, 8);
            float[] expected = (float[])c0.Clone();
            Gemm.MultiplyWith(GemmKernel.Scalar, a, b, expected, m, n, k, transposeA, transposeB, 0.5f, 2f);
            foreach (GemmKernel kernel in s_fastKernels.Where(Gemm.IsSupported))
            {
                if (PathOf(kernel, m, n, k, transposeA, transposeB, beta: 2f) is GemmPath.DotProduct or GemmPath.Narrow)
                {
                    continue;
                }

                float[] c = (float[])c0.Clone();
                Gemm.MultiplyWith(kernel, a, b, c, m, n, k, transposeA, transposeB, 0.5f, 2f);
                Assert.That(c, Is.EqualTo(expected).AsCollection, $"{kernel} differs from Scalar at {m}x{n}x{k}");
            }
        }
    }

    [Test]
    public void Blocks_twice_as_deep_in_the_classic_order_give_bitwise_the_streaming_result(
        [Values] bool transposeA, [Values] bool transposeB)
    {
        // The narrower kernels pack blocks 512 deep, the 512-bit ones 256 deep; a tile of the
        // former sums each half of its block on its own and adds it to C in turn, so both agree
        // to the bit: across a whole block and its two halves, a partial last half (k = 700),
        // one step past a block (513, 1025), and on edge tiles of rows and columns. Variants the
        // hardware lacks run in software.
        int seed = 700;
        foreach ((int m, int n, int k) in new[] { (40, 47, 1000), (30, 33, 700), (64, 100, 513), (37, 40, 1025), (36, 36, 512) })
        {
            AssertTakesTheBlockedPath(m, n, k, transposeA, transposeB);
            float[] a = GemmOracle.Random(m * k, ++seed);
            float[] b = GemmOracle.Random(n * k, ++seed);
            float[] c0 = GemmOracle.Random(m * n, ++seed);
            float[] classic = (float[])c0.Clone();
            float[] streaming = (float[])c0.Clone();
            Gemm.MultiplyWith(GemmKernel.Vector256, a, b, classic, m, n, k, transposeA, transposeB, 0.5f, 2f, maxThreads: 1);
            Gemm.MultiplyWith(GemmKernel.Vector512, a, b, streaming, m, n, k, transposeA, transposeB, 0.5f, 2f, maxThreads: 1);
            GemmOracle.AssertProduct(classic, a, b, c0, m, n, k, transposeA, transposeB, 0.5f, 2f);
            Assert.That(classic, Is.EqualTo(streaming).AsCollection, $"Vector256 differs from Vector512 at {m}x{n}x{k}");
        }
    }

    [Test]
    public unsafe void A_plain_B_whose_panel_rows_are_cache_lines_is_read_in_place_with_bitwise_the_scalar_result(
        [Values] bool transposeA)
    {
        // In the classic order the 6 x 16 kernel reads a plain B in place, however many row
        // tiles reread its panels, when each panel row is one cache line and the rows are an odd
        // number of lines apart (n = 16 x odd, B on a line boundary, as a tensor's storage is),
        // within 4 row blocks: two k blocks and a step past (k = 600 in blocks of 512), 3 row
        // blocks, a Linear layer's 784-wide weight; on one and two threads, bitwise the scalar
        // variant's result (whose panels are packed).
        int seed = 900;
        foreach ((int m, int n, int k) in new[] { (100, 80, 600), (250, 48, 300), (128, 784, 40) })
        {
            AssertTakesTheBlockedPath(m, n, k, transposeA, transposeB: false);
            float[] a = GemmOracle.Random(m * k, ++seed);
            float[] b = GemmOracle.Random(k * n, ++seed);
            float[] c0 = GemmOracle.Random(m * n, ++seed);
            var alignedB = new Tensor([k, n]);
            b.CopyTo(alignedB.AsSpan());
            fixed (float* pb = alignedB.AsSpan())
            {
                Assert.That(ReadsBInPlace6x2(pb, m, n, k, transposeA), Is.True, $"{m}x{n}x{k} reads B in place");
            }

            float[] expected = (float[])c0.Clone();
            Gemm.MultiplyWith(GemmKernel.Scalar, a, b, expected, m, n, k, transposeA, false, 0.5f, 2f);
            GemmOracle.AssertProduct(expected, a, b, c0, m, n, k, transposeA, false, 0.5f, 2f);
            foreach (int threads in new[] { 1, 2 })
            {
                float[] c = (float[])c0.Clone();
                Gemm.MultiplyWith(GemmKernel.Vector256, a, alignedB.AsSpan(), c, m, n, k, transposeA, false, 0.5f, 2f, maxThreads: threads);
                Assert.That(c, Is.EqualTo(expected).AsCollection, $"Vector256 differs from Scalar at {m}x{n}x{k} on {threads} threads");
            }
        }

        // Not in place: rows 1024 floats (64 lines) apart, all in one L1 set; B a float past a
        // line boundary; more than 4 row blocks (1,000 rows of 6-row tiles in blocks of 120).
        var b1 = new Tensor([300 * 1024 + 16]);
        fixed (float* pb = b1.AsSpan())
        {
            Assert.That(ReadsBInPlace6x2(pb, 128, 1024, 300, transposeA), Is.False, "1024 columns");
            Assert.That(ReadsBInPlace6x2(pb + 1, 128, 784, 300, transposeA), Is.False, "B off a cache line");
            Assert.That(ReadsBInPlace6x2(pb, 1000, 784, 300, transposeA), Is.False, "1,000 rows");
            Assert.That(ReadsBInPlace6x2(pb, 480, 784, 300, transposeA), Is.True, "480 rows");
        }
    }

    private static unsafe bool ReadsBInPlace6x2(float* b, int m, int n, int k, bool transposeA)
    {
        var args = new GemmArguments(null, transposeA, b, false, null, m, n, k, 1f, 0f);
        return GemmDriver<Kernel6x2<Vector256Simd, Vector256<float>>>.ReadsBInPlace(args, m);
    }

    [Test]
    public void A_last_column_tile_one_vector_wide_gives_bitwise_the_scalar_result(
        [Values] bool transposeA, [Values] bool transposeB)
    {
        // Where n leaves at most 16 columns past its last 32-column tile, the AVX-512 kernels
        // compute only the tile's first vector: straight into C when all 16 columns and all
        // rows are there (m = 36 on the 12-row kernel, 64 on the 8-row one), through the side
        // buffer otherwise (4 of 16 columns, the last rows of 13 or 30, one column); with
        // alpha and beta, and beta = 0 over NaN.
        int seed = 300;
        foreach ((int m, int n, int k) in new[] { (36, 48, 40), (64, 80, 33), (30, 100, 9), (13, 47, 300), (24, 33, 7) })
        {
            AssertTakesTheBlockedPath(m, n, k, transposeA, transposeB);
            AssertBitwiseScalar("half column tile", m, n, k, transposeA, transposeB, [1], ref seed);
        }
    }

    [Test]
    public void A_last_row_tile_of_a_few_rows_gives_bitwise_the_AVX512_result(
        [Values] bool transposeA, [Values] bool transposeB)
    {
        // The 6-row kernels compute a last row tile of 1 to 4 rows with a 4-row tile that reads
        // A where it is and writes C directly; 5 rows still run the whole kernel aside. The
        // AVX-512 kernels (12 and 8 rows) run every last row tile whole from a padded copy, so
        // agreeing with them to the bit checks the few-rows tile on its own: 1, 2, 3, 4 and 5
        // rows past whole tiles; A read in place (a plain A with few column tiles, a transposed
        // one read at most 8 times) and packed (a plain A with more than 8 column tiles, or
        // rows 4 KB apart); whole, half and partial column tiles; two k blocks of 512 and a
        // step past; alpha and beta, and beta = 0 over NaN. Variants the hardware lacks run in
        // software.
        int seed = 800;
        foreach ((int m, int n, int k) in new[] { (10, 40, 33), (13, 48, 300), (32, 32, 32), (64, 100, 513), (105, 170, 40), (22, 20, 1024), (17, 37, 9) })
        {
            AssertTakesTheBlockedPath(m, n, k, transposeA, transposeB);
            Assert.That(
                ThinGemm.Suits(n, transposeA) || NarrowGemm256.Suits(m, n, k, transposeA, transposeB),
                Is.False,
                $"{m}x{n}x{k} takes the AVX2 blocked path");
            float[] a = GemmOracle.Random(m * k, ++seed);
            float[] b = GemmOracle.Random(n * k, ++seed);
            float[] c0 = GemmOracle.Random(m * n, ++seed);
            float[] expected = (float[])c0.Clone();
            Gemm.MultiplyWith(GemmKernel.Vector512, a, b, expected, m, n, k, transposeA, transposeB, 0.5f, 2f, maxThreads: 1);
            GemmOracle.AssertProduct(expected, a, b, c0, m, n, k, transposeA, transposeB, 0.5f, 2f);
            foreach (GemmKernel kernel in new[] { GemmKernel.Scalar, GemmKernel.Vector128, GemmKernel.Vector256 }.Where(Gemm.IsSupported))
            {
                float[] c = (float[])c0.Clone();
                Gemm.MultiplyWith(kernel, a, b, c, m, n, k, transposeA, transposeB, 0.5f, 2f, maxThreads: 1);
                Assert.That(c, Is.EqualTo(expected).AsCollection, $"{kernel} differs from Vector512 at {m}x{n}x{k}");

                float[] nan = Enumerable.Repeat(float.NaN, m * n).Concat(Enumerable.Repeat(7f, 16)).ToArray();
                Gemm.MultiplyWith(kernel, a, b, nan, m, n, k, transposeA, transposeB, maxThreads: 1);
                GemmOracle.AssertProduct(nan, a, b, nan, m, n, k, transposeA, transposeB, 1f, 0f);
                Assert.That(nan[(m * n)..], Is.All.EqualTo(7f), $"{kernel} wrote past C at {m}x{n}x{k}");
            }
        }
    }

    [Test]
    public void The_dot_product_path_matches_MathNet_at_every_edge()
    {
        // A * Bᵀ with a short C, or a narrow one that NarrowGemm leaves (n below 4, or k below
        // 8), on AVX-512: row and column counts off the 8 x 2 and 2 x 8 tiles (and off the 4-row
        // tiles of B against a single row of A), k below, at and
        // off multiples of 16 (the zero-padded last step), alpha and beta, and beta = 0 over a C
        // full of NaN.
        if (!DotProductGemm.IsSupported)
        {
            Assert.Ignore("This processor has no AVX-512.");
        }

        int seed = 100;
        foreach ((int m, int n, int k) in new[]
        {
            (1, 1, 1), (1, 512, 784), (1, 7, 17), (1, 13, 40), (1, 3, 100), (2, 8, 16), (3, 9, 17), (7, 100, 33), (4, 300, 15), (8, 2, 16), (9, 3, 31),
            (16, 15, 7), (17, 1, 48), (130, 3, 256), (33, 2, 1000), (64, 15, 7), (20, 13, 5),
        })
        {
            Assert.That(DotProductGemm.Suits(m, n, transposeA: false, transposeB: true), $"{m}x{n}x{k} suits the dot-product path");
            Assert.That(NarrowGemm.Suits(m, n, k, transposeA: false, transposeB: true), Is.False, $"{m}x{n}x{k} is not taken by NarrowGemm first");
            AssertTransposedBProduct(GemmKernel.Vector512, m, n, k, ref seed);
        }
    }

    [Test]
    public void The_narrow_path_matches_MathNet_at_every_edge()
    {
        // A * Bᵀ with 4 to 15 columns on AVX-512: one pass of 2 to 5 pairs of columns and two
        // passes (6 to 8 pairs), an odd n (a missing last column), m off the 4-row tiles (the
        // last tile overlaps the one before and writes only its new rows), k at and off
        // multiples of 8 (the partial step reads a row's last 8 floats), alpha and beta, and
        // beta = 0 over a C full of NaN (whole tiles take the one-branch store, edges Write).
        if (!NarrowGemm.IsSupported)
        {
            Assert.Ignore("This processor has no AVX-512.");
        }

        int seed = 200;
        foreach ((int m, int n, int k) in new[]
        {
            (8, 4, 8), (9, 5, 9), (10, 6, 15), (11, 7, 16), (12, 8, 17), (13, 9, 23), (14, 10, 31), (128, 10, 256),
            (15, 11, 33), (16, 12, 64), (17, 13, 100), (18, 14, 255), (19, 15, 257), (130, 10, 784), (61, 15, 1000),
        })
        {
            Assert.That(NarrowGemm.Suits(m, n, k, transposeA: false, transposeB: true), $"{m}x{n}x{k} takes the narrow path");
            AssertTransposedBProduct(GemmKernel.Vector512, m, n, k, ref seed);
        }
    }

    [Test]
    public void The_AVX2_narrow_path_matches_MathNet_at_every_edge()
    {
        // A * Bᵀ with 1 to 15 columns on AVX2: one pass of 1 to 5 pairs of columns and two
        // passes (6 to 8 pairs, the second partial), an odd n (a missing last column), an odd m
        // (the last 2-row tile overlaps the one before and writes only its new row), k at and
        // off multiples of 4 (the partial step reads a row's last 4 floats), alpha and beta, and
        // beta = 0 over a C full of NaN (8 and 10 columns take the vector stores, others Write's
        // element-by-element path).
        if (!NarrowGemm256.IsSupported)
        {
            Assert.Ignore("This processor has no AVX2 with FMA.");
        }

        int seed = 250;
        foreach ((int m, int n, int k) in new[]
        {
            (8, 1, 4), (9, 2, 5), (10, 3, 7), (32, 2, 64), (33, 1, 100),
            (8, 4, 4), (9, 5, 5), (10, 6, 7), (11, 7, 8), (12, 8, 9), (13, 9, 23), (14, 10, 31), (128, 10, 256), (9, 10, 6),
            (15, 11, 33), (16, 12, 64), (17, 13, 100), (18, 14, 255), (19, 15, 257), (130, 10, 784), (61, 15, 1000), (33, 8, 12),
        })
        {
            Assert.That(NarrowGemm256.Suits(m, n, k, transposeA: false, transposeB: true), $"{m}x{n}x{k} takes the AVX2 narrow path");
            AssertTransposedBProduct(GemmKernel.Vector256, m, n, k, ref seed);
        }
    }

    [Test]
    public void The_thin_path_gives_bitwise_the_scalar_result_at_every_edge([Values] bool transposeB)
    {
        // Aᵀ * B with 1 to 3 columns on AVX-512 (a 2-input layer's dW): m off, at and past the
        // 64-row tiles and their 16-row vectors (masked rows), k = 1 and long, alpha and beta.
        // It sums as the blocked kernels do, so it must agree with the scalar variant to the bit;
        // with beta = 0 a C full of NaN is overwritten, and nothing past C is touched.
        if (!ThinGemm.IsSupported)
        {
            Assert.Ignore("This processor has no AVX-512.");
        }

        int seed = 300;
        foreach (int n in new[] { 1, 2, 3 })
        {
            foreach ((int m, int k) in new[] { (2, 1), (15, 7), (16, 128), (17, 3), (63, 300), (64, 64), (65, 5), (130, 128), (300, 33) })
            {
                Assert.That(ThinGemm.Suits(n, transposeA: true), $"{m}x{n}x{k} takes the thin path");
                AssertBitwiseScalar("thin path", m, n, k, transposeA: true, transposeB, [0], ref seed);
            }
        }
    }

    [Test]
    public void The_AVX2_thin_path_gives_bitwise_the_scalar_result_at_every_edge([Values] bool transposeB)
    {
        // Aᵀ * B with 1 to 3 columns on AVX2: m off, at and past the 24-row tiles and their
        // 8-row vectors (masked rows), k = 1, long and past a block of k, alpha and beta, on one
        // thread and on all. It sums as the blocked kernels do, so it must agree with the scalar
        // variant to the bit; with beta = 0 a C full of NaN is overwritten, and nothing past C is
        // touched.
        if (!ThinGemm256.IsSupported)
        {
            Assert.Ignore("This processor has no AVX2 with FMA.");
        }

        int seed = 350;
        foreach (int n in new[] { 1, 2, 3 })
        {
            foreach ((int m, int k) in new[] { (2, 1), (7, 7), (8, 128), (9, 3), (23, 300), (24, 64), (25, 5), (48, 600), (130, 128), (300, 33) })
            {
                Assert.That(ThinGemm.Suits(n, transposeA: true), $"{m}x{n}x{k} takes the thin path");
                AssertBitwiseScalar("AVX2 thin path", m, n, k, transposeA: true, transposeB, [1, 0], ref seed, GemmKernel.Vector256);
            }
        }
    }

    [Test]
    public void The_transposed_path_gives_bitwise_the_scalar_result_on_any_thread_count(
        [Values(GemmKernel.Vector256, GemmKernel.Vector512)] GemmKernel kernel)
    {
        // A * Bᵀ with a B large beside A and C (Linear's forward pass), computed as Cᵀ = B * Aᵀ
        // and transposed back: m and n off the transposes' blocks of 2, 4 and 8 lines and 8
        // steps and their parts of 16 steps, one and several k blocks (of 256 and of 512),
        // alpha and beta (C transposed in), and beta = 0 over a C full of NaN followed by
        // sentinels. With 16 rows or more the swapped product runs on the blocked path, so the
        // result is the scalar variant's to the bit.
        if (!Gemm.IsSupported(kernel))
        {
            Assert.Ignore($"This processor cannot run {kernel}.");
        }

        // Batches of 128 and more take the path on one thread only; on several, the blocked path
        // spreads its packing of B over them.
        int seed = 400;
        foreach ((int m, int n, int k, int[] threads) in new (int, int, int, int[])[]
        {
            (16, 130, 128, [1, 2, 3]), (17, 301, 400, [1, 2, 3]), (33, 530, 257, [1, 2]), (40, 1026, 900, [1, 2, 3]),
            (64, 784, 512, [1, 2]), (128, 1031, 600, [1]), (131, 1026, 900, [1]), (250, 1000, 1100, [1]),
        })
        {
            foreach (int t in threads)
            {
                Assert.That(TransposedGemm.Suits(m, n, k, false, true, beta: 2f, t), $"{m}x{n}x{k} takes the transposed path on {t} threads");
            }

            AssertBitwiseScalar($"{kernel} transposed path", m, n, k, transposeA: false, transposeB: true, threads, ref seed, kernel);
        }
    }

    [Test]
    public void The_transposed_path_with_a_few_rows_matches_MathNet(
        [Values(GemmKernel.Vector256, GemmKernel.Vector512)] GemmKernel kernel)
    {
        // With fewer than 16 rows the swapped product is narrow and takes the variant's narrow
        // path, which sums in its own order: checked against MathNet. AVX-512 sends fewer than
        // 8 rows to its dot-product path first (and the rule asks k to be at least 1.25 m, so
        // the swapped product never reaches that path, for k below 8); AVX2, which has none,
        // sends them here too, down to one sample.
        if (!Gemm.IsSupported(kernel))
        {
            Assert.Ignore($"This processor cannot run {kernel}.");
        }

        int seed = 500;
        (int M, int N, int K)[] shapes = kernel == GemmKernel.Vector256
            ? [(1, 512, 784), (3, 300, 64), (7, 130, 200), (8, 512, 784), (11, 1025, 40), (12, 257, 100), (15, 600, 64)]
            : [(8, 512, 784), (11, 1025, 40), (12, 257, 100), (15, 600, 64)];
        foreach ((int m, int n, int k) in shapes)
        {
            Assert.That(TransposedGemm.Suits(m, n, k, transposeA: false, transposeB: true, beta: 1.5f, maxThreads: 1), $"{m}x{n}x{k} takes the transposed path");
            bool narrow = kernel == GemmKernel.Vector256
                ? NarrowGemm256.Suits(n, m, k, transposeA: false, transposeB: true)
                : NarrowGemm.Suits(n, m, k, transposeA: false, transposeB: true);
            Assert.That(narrow, $"{n}x{m}x{k} takes the narrow path");
            AssertTransposedBProduct(kernel, m, n, k, ref seed);
        }
    }

    [Test]
    public void A_warm_call_allocates_nothing_on_any_path([Values(1, 2)] int threads)
    {
        // Packing buffers, the transposed C and the parallel jobs are kept per thread; once
        // every path has run, calling them again allocates nothing on the calling thread.
        (int M, int N, int K, bool TransposeA, bool TransposeB, float Beta)[] shapes =
        [
            (32, 512, 784, false, true, 1f), (16, 512, 784, false, true, 0f), // transposed, C in and not
            (300, 257, 263, false, false, 1f), (97, 1100, 530, true, false, 0f), // blocked: row parts, column chunks
            (130, 10, 784, false, true, 0f), (5, 300, 64, false, true, 0f), (300, 2, 128, true, false, 1f), // narrow, dot, thin
        ];
        float[][] operands = shapes.Select(s => GemmOracle.Random(s.M * s.K + (s.K * s.N) + (s.M * s.N), 7)).ToArray();
        void CallAll()
        {
            for (int i = 0; i < shapes.Length; i++)
            {
                (int m, int n, int k, bool ta, bool tb, float beta) = shapes[i];
                Span<float> all = operands[i];
                Gemm.MultiplyWith(
                    Gemm.Kernel, all[..(m * k)], all.Slice(m * k, k * n), all[((m * k) + (k * n))..], m, n, k, ta, tb, beta: beta, maxThreads: threads);
            }
        }

        CallAll();
        Assert.That(TestData.AllocatedBytes(CallAll, 5), Is.Zero);
    }

    [Test]
    public void The_transposed_path_is_taken_where_it_pays_and_never_twice()
    {
        Assert.Multiple(() =>
        {
            // Linear's forward pass at batch 128 on one thread: a 784-512 layer (bias, beta = 1) gains, a 512-256 one does not.
            Assert.That(TransposedGemm.Suits(128, 512, 784, false, true, beta: 1f, 1), Is.True);
            Assert.That(TransposedGemm.Suits(128, 256, 512, false, true, beta: 1f, 1), Is.False);
            Assert.That(TransposedGemm.Suits(128, 256, 512, false, true, beta: 0f, 1), Is.True, "no transpose of C in");
            Assert.That(TransposedGemm.Suits(8, 64, 64, false, true, beta: 0f, 1), Is.False, "too small a B to gain");
            Assert.That(TransposedGemm.Suits(1024, 4096, 4096, false, true, beta: 0f, 1), Is.False, "too large a C to hold aside");
            Assert.That(TransposedGemm.Suits(128, 512, 784, true, true, beta: 0f, 1), Is.False, "Aᵀ * Bᵀ");
            Assert.That(TransposedGemm.Suits(128, 512, 784, false, false, beta: 0f, 1), Is.False, "A * B");

            // On two threads the copies count twice: batch 128 stays on the blocked path, batch 32 does not.
            Assert.That(TransposedGemm.Suits(128, 512, 784, false, true, beta: 0f, 2), Is.False, "batch 128 on two threads");
            Assert.That(TransposedGemm.Suits(128, 256, 512, false, true, beta: 0f, 2), Is.False, "512-256 on two threads");
            Assert.That(TransposedGemm.Suits(32, 512, 784, false, true, beta: 1f, 2), Is.True, "batch 32 on two threads");
            Assert.That(TransposedGemm.Suits(16, 130, 128, false, true, beta: 0f, 8), Is.True, "too small to split: counted once");
        });

        // The swapped product (n x m, the same k) must never be swapped back.
        int[] sizes = [1, 8, 16, 100, 128, 512, 784, 1024, 4096];
        foreach (int m in sizes)
        {
            foreach (int n in sizes)
            {
                foreach (int k in sizes)
                {
                    foreach (float beta in new[] { 0f, 1f })
                    {
                        foreach (int threads in new[] { 1, 2, 8 })
                        {
                            if (TransposedGemm.Suits(m, n, k, false, true, beta, threads))
                            {
                                Assert.That(TransposedGemm.Suits(n, m, k, false, true, beta, threads), Is.False, $"{m}x{n}x{k}, beta {beta}, {threads} threads");
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The path a product with alpha = 0.5 takes on <paramref name="kernel"/> at the configured thread count.</summary>
    private static unsafe GemmPath PathOf(GemmKernel kernel, int m, int n, int k, bool transposeA, bool transposeB, float beta) =>
        Gemm.ChoosePath(kernel, new GemmArguments(null, transposeA, null, transposeB, null, m, n, k, 0.5f, beta), KernelOptions.MaxDegreeOfParallelism);

    /// <summary>
    /// Checks that AVX-512 takes the blocked path for the shape (with beta = 2, on one thread),
    /// not one of the paths for narrow, short, thin or swapped products, which sum in other orders.
    /// </summary>
    private static void AssertTakesTheBlockedPath(int m, int n, int k, bool transposeA, bool transposeB) =>
        Assert.That(
            NarrowGemm.Suits(m, n, k, transposeA, transposeB) || DotProductGemm.Suits(m, n, transposeA, transposeB) ||
            ThinGemm.Suits(n, transposeA) || TransposedGemm.Suits(m, n, k, transposeA, transposeB, 2f, 1),
            Is.False,
            $"{m}x{n}x{k} takes the blocked path");

    /// <summary>
    /// op(A) * op(B) through <paramref name="kernel"/> on each of <paramref name="threadCounts"/>
    /// (0: all), bitwise against the scalar variant with alpha = 0.5 and beta = 2 (which is
    /// checked against MathNet), then with beta = 0 over a C full of NaN followed by 16
    /// sentinels that must stay as they are.
    /// </summary>
    private static void AssertBitwiseScalar(
        string path, int m, int n, int k, bool transposeA, bool transposeB, int[] threadCounts, ref int seed, GemmKernel kernel = GemmKernel.Vector512)
    {
        float[] a = GemmOracle.Random(m * k, ++seed);
        float[] b = GemmOracle.Random(n * k, ++seed);
        float[] c0 = GemmOracle.Random(m * n, ++seed);
        float[] expected = (float[])c0.Clone();
        Gemm.MultiplyWith(GemmKernel.Scalar, a, b, expected, m, n, k, transposeA, transposeB, alpha: 0.5f, beta: 2f);
        GemmOracle.AssertProduct(expected, a, b, c0, m, n, k, transposeA, transposeB, 0.5f, 2f);
        foreach (int threads in threadCounts)
        {
            string where = $"at {m}x{n}x{k} on {(threads == 0 ? "all" : threads)} threads";
            float[] c = (float[])c0.Clone();
            Gemm.MultiplyWith(kernel, a, b, c, m, n, k, transposeA, transposeB, 0.5f, 2f, maxThreads: threads);
            Assert.That(c, Is.EqualTo(expected).AsCollection, $"{path} differs from Scalar {where}");

            float[] nan = Enumerable.Repeat(float.NaN, m * n).Concat(Enumerable.Repeat(7f, 16)).ToArray();
            Gemm.MultiplyWith(kernel, a, b, nan, m, n, k, transposeA, transposeB, maxThreads: threads);
            GemmOracle.AssertProduct(nan, a, b, nan, m, n, k, transposeA, transposeB, 1f, 0f);
            Assert.That(nan[(m * n)..], Is.All.EqualTo(7f), $"nothing written past C {where}");
        }
    }

    /// <summary>
    /// A * Bᵀ through <paramref name="kernel"/> against MathNet, with alpha = -0.75 and beta = 1.5,
    /// then with beta = 0 over a C full of NaN followed by 16 sentinels that must stay as they
    /// are (a tile's vector or paired stores must stay inside C).
    /// </summary>
    private static void AssertTransposedBProduct(GemmKernel kernel, int m, int n, int k, ref int seed)
    {
        float[] a = GemmOracle.Random(m * k, ++seed);
        float[] b = GemmOracle.Random(n * k, ++seed);
        float[] c0 = GemmOracle.Random(m * n, ++seed);
        float[] c = (float[])c0.Clone();
        Gemm.MultiplyWith(kernel, a, b, c, m, n, k, transposeA: false, transposeB: true, alpha: -0.75f, beta: 1.5f);
        GemmOracle.AssertProduct(c, a, b, c0, m, n, k, false, true, -0.75f, 1.5f);

        // C is followed by 16 sentinels: a tile's vector or paired stores must stay inside C.
        float[] nan = Enumerable.Repeat(float.NaN, m * n).Concat(Enumerable.Repeat(7f, 16)).ToArray();
        Gemm.MultiplyWith(kernel, a, b, nan, m, n, k, transposeA: false, transposeB: true);
        GemmOracle.AssertProduct(nan, a, b, nan, m, n, k, false, true, 1f, 0f);
        Assert.That(nan[(m * n)..], Is.All.EqualTo(7f), $"nothing written past C at {m}x{n}x{k}");
    }

    [TestCase(GemmKernel.Scalar)]
    [TestCase(GemmKernel.Vector128)]
    [TestCase(GemmKernel.Vector256)]
    [TestCase(GemmKernel.Vector512)]
    public void One_thread_and_several_give_bitwise_identical_results(GemmKernel kernel)
    {
        RequireSupported(kernel);
        foreach ((int m, int n, int k, bool ta, bool tb) in new[]
        {
            (128, 128, 128, false, false), (128, 512, 784, false, true), (784, 512, 128, true, false),
            (128, 784, 512, false, true), (301, 257, 263, true, true), (1024, 1024, 64, false, false), (1000, 10, 300, false, true),
            (600, 256, 300, false, false), (97, 1100, 530, true, false), (6, 700, 900, false, true), (2000, 9, 600, false, true),
            (700, 1100, 530, false, false), (700, 1100, 530, true, true), (1700, 530, 300, false, false), (700, 300, 1024, false, false),
            (1, 512, 784, false, true), (3, 260, 512, false, true), // split for the floats they read, not their multiply-adds.
        })
        {
            float[] a = GemmOracle.Random(m * k, 9);
            float[] b = GemmOracle.Random(k * n, 10);
            float[] c0 = GemmOracle.Random(m * n, 11);
            float[] single = (float[])c0.Clone();
            Gemm.MultiplyWith(kernel, a, b, single, m, n, k, ta, tb, 0.5f, -1.5f, maxThreads: 1);
            foreach (int threads in new[] { 2, 3, 4, 7 })
            {
                float[] parallel = (float[])c0.Clone();
                Gemm.MultiplyWith(kernel, a, b, parallel, m, n, k, ta, tb, 0.5f, -1.5f, maxThreads: threads);
                Assert.That(parallel, Is.EqualTo(single).AsCollection, $"{threads} threads at {m}x{n}x{k}");
            }
        }
    }

    [Test]
    public void Products_are_split_over_threads_for_their_multiply_adds_or_the_floats_they_read()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TileRuns.WorthSplitting(96, 96, 96), Is.True, "the blocked path's threshold of multiply-adds");
            Assert.That(TileRuns.WorthSplitting(95, 96, 96), Is.False, "under it, reading 18K floats");
            Assert.That(TileRuns.WorthSplitting(1, 512, 784), Is.True, "one sample through a 784-512 layer: 402K floats to read");
            Assert.That(TileRuns.WorthSplitting(1, 254, 512), Is.False, "(1 + 254) x 512 floats, 512 short of 128K");
            Assert.That(TileRuns.WorthSplitting(1, 255, 512), Is.True, "(1 + 255) x 512 floats, 128K");
            Assert.That(TileRuns.WorthSplitting(1, 256, 256), Is.False, "64K floats");
            Assert.That(TileRuns.WorthSplitting(128, 10, 256), Is.False, "the 10-wide output layer, 35K floats");
        });
    }

    [Test]
    public void Calls_from_many_threads_at_once_are_each_right()
    {
        const int m = 200, n = 150, k = 170;
        float[] a = GemmOracle.Random(m * k, 11);
        float[] b = GemmOracle.Random(k * n, 12);
        float[] expected = new float[m * n];
        Gemm.MultiplyWith(Gemm.Kernel, a, b, expected, m, n, k, maxThreads: 1);
        float[][] results = Enumerable.Range(0, 8).Select(_ => new float[m * n]).ToArray();
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            for (int repeat = 0; repeat < 5; repeat++)
            {
                Gemm.Multiply(a, b, results[i], m, n, k);
            }
        });
        foreach (float[] result in results)
        {
            Assert.That(result, Is.EqualTo(expected).AsCollection);
        }
    }

    [Test]
    public void Zero_sized_products_are_valid()
    {
        float[] c = [1f, 2f, 3f, 4f];
        Gemm.Multiply([], [], c, 2, 2, 0, beta: 0.5f);
        Assert.That(c, Is.EqualTo(new[] { 0.5f, 1f, 1.5f, 2f }).AsCollection, "k = 0 gives C = beta * C");

        float[] nan = [float.NaN, float.NaN];
        Gemm.Multiply([], [], nan, 1, 2, 0);
        Assert.That(nan, Is.EqualTo(new[] { 0f, 0f }).AsCollection, "k = 0, beta = 0 gives zeros without reading C");

        Assert.DoesNotThrow(() => Gemm.Multiply([], [1f, 2f], [], 0, 2, 1));
        Assert.DoesNotThrow(() => Gemm.Multiply([1f, 2f], [], [], 2, 0, 1));
    }

    [Test]
    public void Alpha_zero_scales_C_by_beta()
    {
        float[] c = [2f, 4f];
        Gemm.Multiply([float.NaN], [float.NaN, float.NaN], c, 1, 2, 1, alpha: 0f, beta: 0.5f);
        Assert.That(c, Is.EqualTo(new[] { 1f, 2f }).AsCollection);
    }

    [Test]
    public void Negative_dimensions_are_rejected_by_name()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply([], [], [], -1, 1, 1));
        Assert.That(ex!.ParamName, Is.EqualTo("m"));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply([], [], [], 1, -2, 1));
        Assert.That(ex!.ParamName, Is.EqualTo("n"));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply([], [], [], 1, 1, -3));
        Assert.That(ex!.ParamName, Is.EqualTo("k"));
    }

    [Test]
    public void Short_spans_are_rejected_before_anything_is_written()
    {
        float[] c = [7f, 7f, 7f, 7f, 7f, 7f];
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[5], new float[6], c, 2, 3, 3));
        Assert.That(ex!.ParamName, Is.EqualTo("a"));
        Assert.That(ex.Message, Does.Contain("5 elements").And.Contain("[2, 3]").And.Contain("needs 6"));

        ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[6], new float[8], c, 2, 3, 3, transposeB: true));
        Assert.That(ex!.ParamName, Is.EqualTo("b"));
        Assert.That(ex.Message, Does.Contain("8 elements").And.Contain("stored [n, k] = [3, 3]").And.Contain("needs 9"));

        ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[6], new float[9], new float[5], 2, 3, 3));
        Assert.That(ex!.ParamName, Is.EqualTo("c"));
        Assert.That(ex.Message, Does.Contain("5 elements").And.Contain("needs 6"));

        Assert.That(c, Is.All.EqualTo(7f), "nothing was written");
    }

    [Test]
    public void C_overlapping_an_input_is_rejected()
    {
        float[] buffer = new float[16];
        var ex = Assert.Throws<ArgumentException>(
            () => Gemm.Multiply(buffer.AsSpan(0, 4), buffer.AsSpan(4, 4), buffer.AsSpan(2, 4), 2, 2, 2));
        Assert.That(ex!.ParamName, Is.EqualTo("c"));
    }

    [Test]
    public void Longer_spans_than_needed_are_fine_and_the_excess_is_untouched()
    {
        float[] c = [9f, 9f, 9f];
        Gemm.Multiply([1f, 2f, 100f], [3f, 4f, 100f], c, 1, 1, 2);
        Assert.That(c, Is.EqualTo(new[] { 11f, 9f, 9f }).AsCollection);
    }

    [Test]
    public void The_active_kernel_is_supported()
    {
        Assert.That(Gemm.IsSupported(Gemm.Kernel), Is.True);
        Assert.That(Gemm.IsSupported(GemmKernel.Reference), Is.True);
        Assert.That(Gemm.IsSupported(GemmKernel.Scalar), Is.True);
    }

    [TestCase("vector256", GemmKernel.Vector256)]
    [TestCase(" Reference ", GemmKernel.Reference)]
    [TestCase("SCALAR", GemmKernel.Scalar)]
    public void The_environment_variable_names_a_variant(string value, GemmKernel expected)
    {
        RequireSupported(expected);
        Assert.That(Gemm.ParseKernel(value), Is.EqualTo(expected));
    }

    [TestCase("vector1024")]
    [TestCase("7")]
    [TestCase("fast")]
    public void An_unknown_variant_in_the_environment_is_a_clear_error(string value)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Gemm.ParseKernel(value));
        Assert.That(ex!.Message, Does.Contain(Gemm.KernelVariable).And.Contain(value).And.Contain("vector512"));
    }

    [Test]
    public void No_environment_variable_picks_the_widest_supported_variant()
    {
        GemmKernel chosen = Gemm.ParseKernel(null);
        Assert.That(Gemm.IsSupported(chosen), Is.True);
        Assert.That(
            Enum.GetValues<GemmKernel>().Where(k => k > chosen && k != GemmKernel.Reference).Any(Gemm.IsSupported),
            Is.False);
    }

    private static void RequireSupported(GemmKernel kernel) =>
        Assume.That(Gemm.IsSupported(kernel), Is.True, $"{kernel} is not supported on this processor");
}
