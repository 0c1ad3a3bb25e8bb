using TinyNet.Diagnostics;
using TinyNet.Kernels;
using TinyNet.Layers;

namespace TinyNet.Tests.Layers;

[TestFixture]
public sealed class Conv2dTests
{
    // (batch, inChannels, height, width, outChannels, kernel, stride, padding, bias)
    private static readonly object[] s_shapes =
    [
        new object[] { 1, 1, 5, 5, 1, 1, 1, 0, true },
        new object[] { 2, 3, 7, 5, 4, 3, 2, 1, true },
        new object[] { 3, 2, 6, 6, 2, 3, 1, 2, false },
        new object[] { 1, 1, 9, 8, 3, 5, 1, 0, true },
        new object[] { 2, 2, 5, 7, 3, 2, 3, 0, true },
    ];

    [TestCaseSource(nameof(s_shapes))]
    public void Forward_matches_a_direct_seven_loop_convolution(int batch, int channels, int height, int width, int filters, int kernel, int stride, int padding, bool bias)
    {
        var conv = new Conv2d(channels, filters, kernel, stride, padding, bias, seed: 3);
        Tensor input = TestData.Random(7, 1f, batch, channels, height, width);
        Tensor output = conv.Forward(input);
        double[] expected = Direct(input, conv, out int[] shape);
        Assert.That(output.Shape, Is.EqualTo(shape));
        Assert.That(output.ToArray(), Is.EqualTo(expected.Select(v => (float)v)).Within(1e-5f));
    }

    [TestCaseSource(nameof(s_shapes))]
    public void Backward_passes_the_gradient_check(int batch, int channels, int height, int width, int filters, int kernel, int stride, int padding, bool bias)
    {
        var conv = new Conv2d(channels, filters, kernel, stride, padding, bias, seed: 4);
        GradientCheckResult result = GradientChecker.CheckLayer(conv, TestData.Random(8, 1f, batch, channels, height, width), maxElementsPerTensor: 200);
        Assert.That(result.Passed(), Is.True, result.ToString());
    }

    [Test]
    public void One_and_several_threads_give_the_same_bits()
    {
        (float[] Output, float[] GradInput, float[] GradWeight, float[] GradBias) Run(int threads)
        {
            int saved = KernelOptions.MaxDegreeOfParallelism;
            KernelOptions.MaxDegreeOfParallelism = threads;
            try
            {
                var conv = new Conv2d(8, 16, 3, padding: 1, seed: 5);
                Tensor output = conv.Forward(TestData.Random(9, 1f, 16, 8, 12, 12));
                float[] gradInput = conv.Backward(TestData.Random(10, 1f, [.. output.Shape])).ToArray();
                return (output.ToArray(), gradInput, conv.Weight.Gradient.ToArray(), conv.Bias!.Gradient.ToArray());
            }
            finally
            {
                KernelOptions.MaxDegreeOfParallelism = saved;
            }
        }

        var one = Run(1);
        foreach (int threads in new[] { 2, 3 })
        {
            var many = Run(threads);
            Assert.That(many.Output, Is.EqualTo(one.Output), $"output, {threads} threads");
            Assert.That(many.GradInput, Is.EqualTo(one.GradInput), $"gradInput, {threads} threads");
            Assert.That(many.GradWeight, Is.EqualTo(one.GradWeight), $"gradWeight, {threads} threads");
            Assert.That(many.GradBias, Is.EqualTo(one.GradBias), $"gradBias, {threads} threads");
        }
    }

    [Test]
    public void Initialization_and_names_follow_PyTorch()
    {
        var conv = new Conv2d(3, 8, 5, seed: 1);
        float bound = 1f / MathF.Sqrt(3 * 5 * 5);
        Assert.That(conv.Weight.Value.Shape, Is.EqualTo(new[] { 8, 3, 5, 5 }));
        Assert.That(conv.Weight.Value.ToArray(), Is.All.InRange(-bound, bound));
        Assert.That(conv.Weight.Value.ToArray().Max(), Is.GreaterThan(bound * 0.9f));
        Assert.That(conv.Bias!.Value.ToArray(), Is.All.InRange(-bound, bound));
        Assert.That(new Sequential(conv).Parameters.Select(p => p.Name), Is.EqualTo(new[] { "0.weight", "0.bias" }));
        Assert.That(conv.ToString(), Is.EqualTo("Conv2d(inChannels: 3, outChannels: 8, kernelSize: 5, stride: 1, padding: 0, bias: true)"));
    }

    [Test]
    public void A_steady_forward_and_backward_allocates_nothing()
    {
        var conv = new Conv2d(2, 4, 3, padding: 1, seed: 2);
        Tensor input = TestData.Random(1, 1f, 8, 2, 10, 10);
        Tensor gradient = TestData.Random(2, 1f, 8, 4, 10, 10);
        void Step()
        {
            conv.Forward(input);
            conv.Backward(gradient);
        }

        Step();
        Assert.That(TestData.AllocatedBytes(Step, times: 20), Is.Zero);
    }

    [Test]
    public void Input_of_the_wrong_shape_names_the_layer_and_both_shapes()
    {
        var conv = new Conv2d(3, 4, 5);
        var channels = Assert.Throws<ArgumentException>(() => conv.Forward(new Tensor(2, 2, 8, 8)));
        Assert.That(channels!.Message, Does.Contain("Conv2d(inChannels: 3").And.Contain("[2, 2, 8, 8]").And.Contain("[batch, 3, height, width]"));
        Assert.That(channels.ParamName, Is.EqualTo("input"));
        Assert.Throws<ArgumentException>(() => conv.Forward(new Tensor(2, 3, 4, 8)), "smaller than the kernel");
        Assert.Throws<ArgumentException>(() => conv.Forward(new Tensor(3, 8, 8)), "no batch dimension");
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Conv2d(3, 4, 3, stride: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Conv2d(3, 4, 3, padding: -1));
    }

    /// <summary>output[n, o, y, x] = bias[o] + sum over c, ky, kx of w[o, c, ky, kx] * in[n, c, y*s - p + ky, x*s - p + kx], in double.</summary>
    private static double[] Direct(Tensor input, Conv2d conv, out int[] shape)
    {
        int batch = input.Dimension(0), channels = input.Dimension(1), height = input.Dimension(2), width = input.Dimension(3);
        int k = conv.KernelSize, s = conv.Stride, p = conv.Padding, filters = conv.OutChannels;
        int outHeight = ((height + (2 * p) - k) / s) + 1, outWidth = ((width + (2 * p) - k) / s) + 1;
        float[] x = input.ToArray(), w = conv.Weight.Value.ToArray();
        float[]? b = conv.Bias?.Value.ToArray();
        double[] y = new double[batch * filters * outHeight * outWidth];
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < filters; o++)
            {
                for (int oy = 0; oy < outHeight; oy++)
                {
                    for (int ox = 0; ox < outWidth; ox++)
                    {
                        double sum = b?[o] ?? 0;
                        for (int c = 0; c < channels; c++)
                        {
                            for (int ky = 0; ky < k; ky++)
                            {
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int iy = (oy * s) - p + ky, ix = (ox * s) - p + kx;
                                    if (iy >= 0 && iy < height && ix >= 0 && ix < width)
                                    {
                                        sum += (double)w[(((o * channels) + c) * k * k) + (ky * k) + kx] * x[(((n * channels) + c) * height * width) + (iy * width) + ix];
                                    }
                                }
                            }
                        }

                        y[(((n * filters) + o) * outHeight * outWidth) + (oy * outWidth) + ox] = sum;
                    }
                }
            }
        }

        shape = [batch, filters, outHeight, outWidth];
        return y;
    }
}
