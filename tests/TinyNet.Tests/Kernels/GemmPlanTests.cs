using System.Runtime.Intrinsics;
using System.Text;
using TinyNet.Kernels;

namespace TinyNet.Tests.Kernels;

/// <summary>
/// The dispatch table, asserted whole: for the shapes the library runs, the path each variant
/// takes on one and two threads. A change of the rules shows here, line by line, in review.
/// </summary>
[TestFixture]
public sealed class GemmPlanTests
{
    // (name, m, n, k, transposeA, transposeB, beta)
    private static readonly (string Name, int M, int N, int K, bool TransposeA, bool TransposeB, float Beta)[] s_shapes = Shapes().ToArray();

    [Test]
    public void The_paths_of_the_shapes_the_library_runs()
    {
        string table = Table(GemmKernel.Vector512, GemmKernel.Vector256, GemmKernel.Vector128, GemmKernel.Scalar, GemmKernel.Reference);
        Assert.That(table.TrimEnd('\n'), Is.EqualTo(Expected.ReplaceLineEndings("\n")), table);
    }

    [Test]
    public void The_plan_is_pure()
    {
        foreach ((string _, int m, int n, int k, bool ta, bool tb, float beta) in s_shapes)
        {
            GemmPath first = GemmPlan.ChoosePath(GemmKernel.Vector512, m, n, k, ta, tb, beta, 2, specialPaths: true);
            Assert.That(GemmPlan.ChoosePath(GemmKernel.Vector512, m, n, k, ta, tb, beta, 2, specialPaths: true), Is.EqualTo(first));
        }

        Assert.That(GemmPlan.ChoosePath(GemmKernel.Vector512, 128, 10, 256, false, true, 0f, 1, specialPaths: false), Is.EqualTo(GemmPath.Blocked16x1), "without native AVX-512 the special paths are left out");
    }

    [Test]
    public void The_plan_gives_the_blocking_each_blocked_path_runs_with()
    {
        Assert.Multiple(() =>
        {
            Assert.That(GemmPlan.BlockingOf(GemmPath.Blocked6x2, GemmKernel.Scalar), Is.EqualTo(GemmDriver<Kernel6x2<ScalarSimd, float>>.Blocking));
            Assert.That(GemmPlan.BlockingOf(GemmPath.Blocked6x2, GemmKernel.Vector128), Is.EqualTo(GemmDriver<Kernel6x2<Vector128Simd, Vector128<float>>>.Blocking));
            Assert.That(GemmPlan.BlockingOf(GemmPath.Blocked6x2, GemmKernel.Vector256), Is.EqualTo(GemmDriver<Kernel6x2<Vector256Simd, Vector256<float>>>.Blocking));
            Assert.That(GemmPlan.BlockingOf(GemmPath.Blocked8x2, GemmKernel.Vector512), Is.EqualTo(GemmDriver<Kernel8x2<Vector512Simd, Vector512<float>>>.Blocking));
            Assert.That(GemmPlan.BlockingOf(GemmPath.Blocked12x2, GemmKernel.Vector512), Is.EqualTo(GemmDriver<Kernel12x2<Vector512Simd, Vector512<float>>>.Blocking));
            Assert.That(GemmPlan.BlockingOf(GemmPath.Blocked16x1, GemmKernel.Vector512), Is.EqualTo(GemmDriver<Kernel16x1<Vector512Simd, Vector512<float>>>.Blocking));
            Assert.That(GemmPlan.BlockingOf(GemmPath.Narrow, GemmKernel.Vector512), Is.Null, "the other paths are not blocked");
            Assert.That(() => GemmPlan.BlockingOf(GemmPath.Blocked8x2, GemmKernel.Reference), Throws.TypeOf<ArgumentOutOfRangeException>(), "the reference loop has no blocks");
        });

        // The figures docs/gemm.md gives: AVX-512 8 x 32 tiles in 160 x 256 x 512 blocks, B streamed;
        // AVX2 6 x 16 tiles in 120 x 512 x 4096 blocks, the classic order.
        Assert.That(GemmPlan.BlockingOf(GemmPath.Blocked8x2, GemmKernel.Vector512), Is.EqualTo(new GemmBlocking(8, 32, 160, 512, 256, StreamsB: true)));
        Assert.That(GemmPlan.BlockingOf(GemmPath.Blocked6x2, GemmKernel.Vector256), Is.EqualTo(new GemmBlocking(6, 16, 120, 4096, 512, StreamsB: false)));
    }

    private static IEnumerable<(string, int, int, int, bool, bool, float)> Shapes()
    {
        int[] widths = [784, 512, 256, 10];
        foreach (int batch in new[] { 1, 4, 8, 32, 128, 512 })
        {
            for (int layer = 0; layer < 3; layer++)
            {
                int inWidth = widths[layer], outWidth = widths[layer + 1];
                yield return ($"{inWidth}-{outWidth} forward, batch {batch}", batch, outWidth, inWidth, false, true, 1f);
                yield return ($"{inWidth}-{outWidth} dW, batch {batch}", outWidth, inWidth, batch, true, false, 1f);
                yield return ($"{inWidth}-{outWidth} dX, batch {batch}", batch, inWidth, outWidth, false, false, 0f);
            }
        }

        foreach (int size in new[] { 32, 64, 1024 })
        {
            yield return ($"{size}^3", size, size, size, false, false, 0f);
        }

        // The spirals sample's 2-64-64-2 network: 2 columns, 2-deep sums, few rows.
        yield return ("2-64 dW (2 columns), batch 32", 64, 2, 32, true, false, 1f);
        yield return ("2-64 forward (k = 2), batch 4", 4, 64, 2, false, true, 1f);
        yield return ("2-64 dX (2 columns), batch 8", 8, 2, 64, false, false, 0f);
        yield return ("2-64 dX (2 columns), batch 32", 32, 2, 64, false, false, 0f);
        yield return ("64-2 forward (2 columns), batch 32", 32, 2, 64, false, true, 1f);
        yield return ("1000x3 * 3x1000 (At*B, 3 columns)", 1000, 3, 3, true, false, 0f);
        yield return ("At*Bt 100x100x100", 100, 100, 100, true, true, 0f);

        // Conv2d's products on LeNet's first layer (weight [6, 25], columns [25, 64 x 24 x 24]).
        yield return ("conv 1-6 k5 forward, batch 64", 6, 36864, 25, false, false, 0f);
        yield return ("conv 1-6 k5 dW, batch 64", 6, 25, 36864, false, true, 1f);
        yield return ("conv 1-6 k5 dX, batch 64", 25, 36864, 6, true, false, 0f);
    }

    private static string Table(params GemmKernel[] kernels)
    {
        var text = new StringBuilder();
        foreach ((string name, int m, int n, int k, bool ta, bool tb, float beta) in s_shapes)
        {
            text.Append(name).Append(':');
            foreach (GemmKernel kernel in kernels)
            {
                GemmPath one = GemmPlan.ChoosePath(kernel, m, n, k, ta, tb, beta, 1, specialPaths: true);
                GemmPath two = GemmPlan.ChoosePath(kernel, m, n, k, ta, tb, beta, 2, specialPaths: true);
                text.Append(' ').Append(kernel).Append('=').Append(one);
                if (two != one)
                {
                    text.Append('/').Append(two);
                }
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private const string Expected = """
        784-512 forward, batch 1: Vector512=DotProduct Vector256=Transposed Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 dW, batch 1: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 dX, batch 1: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 forward, batch 1: Vector512=DotProduct Vector256=Transposed Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 dW, batch 1: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 dX, batch 1: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 forward, batch 1: Vector512=DotProduct Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 dW, batch 1: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 dX, batch 1: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 forward, batch 4: Vector512=Transposed Vector256=Transposed Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 dW, batch 4: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 dX, batch 4: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 forward, batch 4: Vector512=Transposed Vector256=Transposed Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 dW, batch 4: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 dX, batch 4: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 forward, batch 4: Vector512=DotProduct Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 dW, batch 4: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 dX, batch 4: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 forward, batch 8: Vector512=Transposed Vector256=Transposed Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 dW, batch 8: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 dX, batch 8: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 forward, batch 8: Vector512=Transposed Vector256=Transposed Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 dW, batch 8: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 dX, batch 8: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 forward, batch 8: Vector512=Narrow Vector256=Narrow Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 dW, batch 8: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 dX, batch 8: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 forward, batch 32: Vector512=Transposed Vector256=Transposed Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 dW, batch 32: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 dX, batch 32: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 forward, batch 32: Vector512=Transposed Vector256=Transposed Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 dW, batch 32: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 dX, batch 32: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 forward, batch 32: Vector512=Narrow Vector256=Narrow Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 dW, batch 32: Vector512=Blocked12x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 dX, batch 32: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 forward, batch 128: Vector512=Transposed/Blocked8x2 Vector256=Transposed/Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 dW, batch 128: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 dX, batch 128: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 forward, batch 128: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 dW, batch 128: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 dX, batch 128: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 forward, batch 128: Vector512=Narrow Vector256=Narrow Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 dW, batch 128: Vector512=Blocked12x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 dX, batch 128: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 forward, batch 512: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 dW, batch 512: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        784-512 dX, batch 512: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 forward, batch 512: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 dW, batch 512: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        512-256 dX, batch 512: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 forward, batch 512: Vector512=Narrow Vector256=Narrow Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 dW, batch 512: Vector512=Blocked12x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        256-10 dX, batch 512: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        32^3: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        64^3: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        1024^3: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        2-64 dW (2 columns), batch 32: Vector512=Thin Vector256=Thin Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        2-64 forward (k = 2), batch 4: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        2-64 dX (2 columns), batch 8: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        2-64 dX (2 columns), batch 32: Vector512=Blocked16x1 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        64-2 forward (2 columns), batch 32: Vector512=DotProduct Vector256=Narrow Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        1000x3 * 3x1000 (At*B, 3 columns): Vector512=Thin Vector256=Thin Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        At*Bt 100x100x100: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        conv 1-6 k5 forward, batch 64: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        conv 1-6 k5 dW, batch 64: Vector512=Transposed Vector256=Transposed Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        conv 1-6 k5 dX, batch 64: Vector512=Blocked8x2 Vector256=Blocked6x2 Vector128=Blocked6x2 Scalar=Blocked6x2 Reference=Reference
        """;
}
