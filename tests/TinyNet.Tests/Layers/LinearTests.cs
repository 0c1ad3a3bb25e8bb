using MathNet.Numerics.LinearAlgebra;
using TinyNet.Diagnostics;
using TinyNet.Layers;

namespace TinyNet.Tests.Layers;

[TestFixture]
public sealed class LinearTests
{
    [Test]
    public void Forward_is_input_times_weight_transposed_plus_bias()
    {
        var layer = new Linear(7, 5, seed: 1);
        Tensor input = TestData.Random(2, 1f, 3, 7);
        float[] output = layer.Forward(input).ToArray();

        Matrix<double> x = ToMatrix(input, 3, 7);
        Matrix<double> w = ToMatrix(layer.Weight.Value, 5, 7);
        Matrix<double> expected = x * w.Transpose();
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                Assert.That(output[(i * 5) + j], Is.EqualTo(expected[i, j] + layer.Bias!.Value.AsSpan()[j]).Within(1e-5));
            }
        }
    }

    [Test]
    public void Backward_matches_the_matrix_formulas()
    {
        var layer = new Linear(6, 4, seed: 3);
        Tensor input = TestData.Random(4, 1f, 5, 6);
        Tensor gradOutput = TestData.Random(5, 1f, 5, 4);
        layer.Forward(input);
        float[] gradInput = layer.Backward(gradOutput).ToArray();

        Matrix<double> x = ToMatrix(input, 5, 6);
        Matrix<double> g = ToMatrix(gradOutput, 5, 4);
        Matrix<double> w = ToMatrix(layer.Weight.Value, 4, 6);
        AssertClose(gradInput, g * w, "gradInput = gradOutput * W");
        AssertClose(layer.Weight.Gradient.ToArray(), g.Transpose() * x, "gradW = gradOutputᵀ * X");
        AssertClose(layer.Bias!.Gradient.ToArray(), Matrix<double>.Build.DenseOfRowArrays(g.ColumnSums().ToArray()), "gradB = column sums");
    }

    [Test]
    public void Backward_adds_into_the_parameter_gradients()
    {
        var layer = new Linear(3, 2, seed: 5);
        Tensor input = TestData.Random(6, 1f, 4, 3);
        Tensor gradOutput = TestData.Random(7, 1f, 4, 2);
        layer.Forward(input);
        layer.Backward(gradOutput);
        float[] once = layer.Weight.Gradient.ToArray();
        layer.Forward(input);
        layer.Backward(gradOutput);
        Assert.That(layer.Weight.Gradient.ToArray(), Is.EqualTo(once.Select(v => 2 * v).ToArray()).Within(1e-5).AsCollection);
    }

    [TestCase(1, 1, 1, true)]
    [TestCase(1, 5, 3, true)]
    [TestCase(4, 17, 9, false)]
    [TestCase(3, 33, 2, true)]
    public void The_gradients_pass_a_finite_difference_check(int batch, int inFeatures, int outFeatures, bool bias)
    {
        var layer = new Linear(inFeatures, outFeatures, bias, seed: 11);
        GradientCheckResult result = GradientChecker.CheckLayer(layer, TestData.Random(12, 1f, batch, inFeatures));
        Assert.That(result.Passed(), Is.True, result.ToString());
    }

    [Test]
    public void Initialization_follows_PyTorch_and_the_seed()
    {
        var layer = new Linear(400, 30, seed: 42);
        float bound = 1f / MathF.Sqrt(400);
        float[] weights = layer.Weight.Value.ToArray();
        Assert.That(weights, Is.All.InRange(-bound, bound));
        Assert.That(weights.Max(), Is.GreaterThan(0.9f * bound), "the whole interval is used");
        Assert.That(weights.Min(), Is.LessThan(-0.9f * bound));
        Assert.That(layer.Bias!.Value.ToArray(), Is.All.InRange(-bound, bound));
        Assert.That(new Linear(400, 30, seed: 42).Weight.Value.ToArray(), Is.EqualTo(weights).AsCollection, "same seed, same weights");
        Assert.That(new Linear(400, 30, seed: 43).Weight.Value.ToArray(), Is.Not.EqualTo(weights).AsCollection);
    }

    [Test]
    public void Parameters_are_named_and_shaped_like_PyTorch()
    {
        var layer = new Linear(784, 128);
        Assert.That(layer.Parameters.Select(p => p.ToString()), Is.EqualTo(new[] { "weight [128, 784]", "bias [128]" }).AsCollection);
        Assert.That(new Linear(3, 2, bias: false).Parameters.Select(p => p.Name), Is.EqualTo(new[] { "weight" }).AsCollection);
        Assert.That(layer.ToString(), Is.EqualTo("Linear(inFeatures: 784, outFeatures: 128, bias: true)"));
    }

    [Test]
    public void Without_input_gradient_Backward_returns_empty_and_still_fills_parameter_gradients()
    {
        var layer = new Linear(3, 2, seed: 1) { RequiresInputGradient = false };
        layer.Forward(TestData.Random(1, 1f, 4, 3));
        Tensor result = layer.Backward(TestData.Random(2, 1f, 4, 2));
        Assert.That(result.Length, Is.Zero);
        Assert.That(layer.Weight.Gradient.ToArray(), Has.Some.Not.EqualTo(0f));
    }

    [Test]
    public void A_smaller_last_batch_works_and_the_steady_state_allocates_nothing()
    {
        var layer = new Linear(64, 32, seed: 1);
        Tensor full = TestData.Random(1, 1f, 16, 64);
        Tensor last = TestData.Random(2, 1f, 5, 64);
        Tensor gradFull = TestData.Random(3, 1f, 16, 32);
        Tensor gradLast = TestData.Random(4, 1f, 5, 32);
        void Epoch()
        {
            layer.Forward(full);
            layer.Backward(gradFull);
            layer.Forward(last);
            layer.Backward(gradLast);
        }

        Epoch();
        Assert.That(layer.Forward(last).Shape, Is.EqualTo(new[] { 5, 32 }).AsCollection);
        Assert.That(TestData.AllocatedBytes(Epoch, 20), Is.Zero);
    }

    [Test]
    public void An_input_of_the_wrong_shape_is_rejected_with_both_shapes()
    {
        var layer = new Linear(784, 128);
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(32, 100)));
        Assert.That(ex!.ParamName, Is.EqualTo("input"));
        Assert.That(ex.Message, Does.Contain("[batch, 784]").And.Contain("[32, 100]"));
        Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(784)));
    }

    [Test]
    public void Backward_before_Forward_and_a_wrong_gradient_shape_are_clear_errors()
    {
        var layer = new Linear(3, 2);
        var ex = Assert.Throws<InvalidOperationException>(() => layer.Backward(new Tensor(1, 2)));
        Assert.That(ex!.Message, Does.Contain("Backward was called before Forward"));
        layer.Forward(new Tensor(4, 3));
        var shape = Assert.Throws<ArgumentException>(() => layer.Backward(new Tensor(4, 3)));
        Assert.That(shape!.Message, Does.Contain("[4, 3]").And.Contain("[4, 2]"));
    }

    [Test]
    public void Bad_constructor_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Linear(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Linear(3, -1));
    }

    private static Matrix<double> ToMatrix(Tensor tensor, int rows, int columns)
    {
        float[] data = tensor.ToArray();
        return Matrix<double>.Build.Dense(rows, columns, (i, j) => data[(i * columns) + j]);
    }

    private static void AssertClose(float[] actual, Matrix<double> expected, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.RowCount * expected.ColumnCount), what);
        for (int i = 0; i < expected.RowCount; i++)
        {
            for (int j = 0; j < expected.ColumnCount; j++)
            {
                Assert.That(actual[(i * expected.ColumnCount) + j], Is.EqualTo(expected[i, j]).Within(1e-5), $"{what} at [{i}, {j}]");
            }
        }
    }
}
