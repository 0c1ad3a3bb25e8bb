using TinyNet.Diagnostics;
using TinyNet.Layers;

namespace TinyNet.Tests.Layers;

[TestFixture]
public sealed class PoolingTests
{
    // One 4 x 5 image; a 2 x 2 window with stride 2 covers columns 0-3 and drops column 4.
    private static readonly float[] s_image =
    [
        1, 5, 2, 0, 9,
        3, 4, 8, 1, 9,
        0, 2, 6, 6, 9,
        7, 1, 3, 2, 9,
    ];

    [Test]
    public void MaxPool_takes_each_windows_largest_and_drops_the_ragged_edge()
    {
        var pool = new MaxPool2d(2);
        Tensor output = pool.Forward(Tensor.FromArray(s_image, 1, 1, 4, 5));
        Assert.That(output.Shape, Is.EqualTo(new[] { 1, 1, 2, 2 }));
        Assert.That(output.ToArray(), Is.EqualTo(new float[] { 5, 8, 7, 6 }));

        float[] gradient = pool.Backward(Tensor.FromArray([10, 20, 30, 40], 1, 1, 2, 2)).ToArray();
        float[] expected = new float[20];
        expected[1] = 10;      // the 5
        expected[7] = 20;      // the 8
        expected[15] = 30;     // the 7
        expected[12] = 40;     // the first of the two 6s
        Assert.That(gradient, Is.EqualTo(expected));
    }

    [Test]
    public void MaxPool_with_overlapping_windows_sums_gradients_and_propagates_NaN()
    {
        var pool = new MaxPool2d(2, stride: 1);
        float[] image = [1, 2, 3, 4, 9, 5, 6, 7, 8];
        Tensor output = pool.Forward(Tensor.FromArray(image, 1, 1, 3, 3));
        Assert.That(output.ToArray(), Is.EqualTo(new float[] { 9, 9, 9, 9 }));
        float[] gradient = pool.Backward(Tensor.FromArray([1, 2, 3, 4], 1, 1, 2, 2)).ToArray();
        Assert.That(gradient[4], Is.EqualTo(10f), "the centre is the largest of all four windows");
        Assert.That(gradient.Where((_, i) => i != 4), Is.All.Zero);

        image[0] = float.NaN;
        Assert.That(float.IsNaN(pool.Forward(Tensor.FromArray(image, 1, 1, 3, 3)).ToArray()[0]), Is.True);
    }

    [Test]
    public void AvgPool_takes_each_windows_mean()
    {
        var pool = new AvgPool2d(2);
        Tensor output = pool.Forward(Tensor.FromArray(s_image, 1, 1, 4, 5));
        Assert.That(output.ToArray(), Is.EqualTo(new float[] { 13 / 4f, 11 / 4f, 10 / 4f, 17 / 4f }));
        float[] gradient = pool.Backward(Tensor.FromArray([4, 8, 12, 16], 1, 1, 2, 2)).ToArray();
        Assert.That(gradient.Take(5), Is.EqualTo(new float[] { 1, 1, 2, 2, 0 }));
        Assert.That(gradient.Skip(15), Is.EqualTo(new float[] { 3, 3, 4, 4, 0 }));
    }

    [TestCase(2, null, 2, 3, 7, 5)]
    [TestCase(3, 2, 1, 2, 7, 8)]
    [TestCase(1, null, 2, 1, 3, 3)]
    public void Both_pass_the_gradient_check(int kernel, int? stride, int batch, int channels, int height, int width)
    {
        // Distinct values far apart, so no finite-difference step changes which element is a window's largest.
        int count = batch * channels * height * width;
        var random = new Random(3);
        float[] values = Enumerable.Range(0, count).Select(i => i * 0.01f).OrderBy(_ => random.Next()).ToArray();
        Tensor input = Tensor.FromArray(values, batch, channels, height, width);
        foreach (Layer pool in new Layer[] { new MaxPool2d(kernel, stride), new AvgPool2d(kernel, stride) })
        {
            GradientCheckResult result = GradientChecker.CheckLayer(pool, input, maxElementsPerTensor: 500);
            Assert.That(result.Passed(), Is.True, $"{pool}: {result}");
        }
    }

    [Test]
    public void Bad_input_names_the_layer_and_the_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => new MaxPool2d(3).Forward(new Tensor(1, 1, 2, 5)));
        Assert.That(error!.Message, Does.Contain("MaxPool2d(kernelSize: 3, stride: 3)").And.Contain("[1, 1, 2, 5]"));
        Assert.Throws<ArgumentException>(() => new AvgPool2d(2).Forward(new Tensor(4, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MaxPool2d(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new AvgPool2d(2, stride: 0));
    }

    [Test]
    public void Flatten_views_each_sample_as_one_row_and_gives_the_gradient_back_its_shape()
    {
        var flatten = new Flatten();
        Tensor input = TestData.Random(1, 1f, 2, 3, 2, 2);
        Tensor output = flatten.Forward(input);
        Assert.That(output.Shape, Is.EqualTo(new[] { 2, 12 }));
        Assert.That(output.ToArray(), Is.EqualTo(input.ToArray()));
        Assert.That(flatten.Forward(input), Is.SameAs(output), "the view is reused for the same input");
        Tensor gradient = flatten.Backward(TestData.Random(2, 1f, 2, 12));
        Assert.That(gradient.Shape, Is.EqualTo(new[] { 2, 3, 2, 2 }));
        Assert.That(GradientChecker.CheckLayer(new Flatten(), input).Passed(), Is.True);
        Assert.Throws<ArgumentException>(() => flatten.Backward(new Tensor(2, 11)));
    }
}
