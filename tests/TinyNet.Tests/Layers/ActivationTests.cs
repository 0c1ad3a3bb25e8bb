using MathNet.Numerics;
using TinyNet.Diagnostics;
using TinyNet.Layers;

namespace TinyNet.Tests.Layers;

[TestFixture]
public sealed class ActivationTests
{
    private static IEnumerable<TestCaseData> Activations()
    {
        yield return new TestCaseData(new ReLU(), (Func<double, double>)(x => Math.Max(x, 0))).SetArgDisplayNames("ReLU");
        yield return new TestCaseData(new LeakyReLU(0.1f), (Func<double, double>)(x => x > 0 ? x : 0.1 * x)).SetArgDisplayNames("LeakyReLU");
        yield return new TestCaseData(new Sigmoid(), (Func<double, double>)(x => 1 / (1 + Math.Exp(-x)))).SetArgDisplayNames("Sigmoid");
        yield return new TestCaseData(new Tanh(), (Func<double, double>)Math.Tanh).SetArgDisplayNames("Tanh");
        yield return new TestCaseData(new Gelu(), (Func<double, double>)(x => 0.5 * x * (1 + SpecialFunctions.Erf(x / Math.Sqrt(2))))).SetArgDisplayNames("Gelu");
        yield return new TestCaseData(
            new Gelu(GeluApproximation.Tanh),
            (Func<double, double>)(x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + (0.044715 * x * x * x)))))).SetArgDisplayNames("GeluTanh");
    }

    [TestCaseSource(nameof(Activations))]
    public void Forward_matches_the_function_in_double_precision(ElementwiseLayer layer, Func<double, double> function)
    {
        // 37 elements: whole vectors and a scalar tail on every width; values up to +-12 reach the flat parts.
        Tensor input = TestData.Random(1, 12f, 37);
        input.AsSpan()[0] = 0f;
        input.AsSpan()[1] = -30f;
        input.AsSpan()[2] = 30f;
        float[] output = layer.Forward(input).ToArray();
        float[] x = input.ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            double expected = function(x[i]);
            Assert.That(output[i], Is.EqualTo(expected).Within((2e-6 * Math.Abs(expected)) + 2e-7), $"{layer} at x = {x[i]}");
        }
    }

    [TestCaseSource(nameof(Activations))]
    public void The_gradient_passes_a_finite_difference_check(ElementwiseLayer layer, Func<double, double> function)
    {
        _ = function;
        foreach (int[] shape in new[] { new[] { 1, 1 }, new[] { 3, 37 }, new[] { 2, 3, 5 } })
        {
            GradientCheckResult result = GradientChecker.CheckLayer(layer, TestData.AwayFromZero(3, 4f, 0.01f, shape), maxElementsPerTensor: 200);
            Assert.That(result.Passed(), Is.True, $"{layer}: {result}");
        }
    }

    [TestCaseSource(nameof(Activations))]
    public void The_output_has_the_input_shape_and_no_steady_state_allocation(ElementwiseLayer layer, Func<double, double> function)
    {
        _ = function;
        Tensor input = TestData.Random(4, 2f, 4, 3, 2);
        Tensor gradient = TestData.Random(5, 1f, 4, 3, 2);
        Assert.That(layer.Forward(input).Shape, Is.EqualTo(new[] { 4, 3, 2 }).AsCollection);
        layer.Backward(gradient);
        Assert.That(TestData.AllocatedBytes(() => { layer.Forward(input); layer.Backward(gradient); }, 10), Is.Zero);
    }

    [Test]
    public void Backward_before_Forward_is_a_clear_error()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new ReLU().Backward(new Tensor(2)));
        Assert.That(ex!.Message, Does.Contain("ReLU()").And.Contain("before Forward"));
    }

    [Test]
    public void Layers_print_themselves()
    {
        Assert.That(new ReLU().ToString(), Is.EqualTo("ReLU()"));
        Assert.That(new LeakyReLU(0.2f).ToString(), Is.EqualTo("LeakyReLU(negativeSlope: 0.2)"));
        Assert.That(new Gelu(GeluApproximation.Tanh).ToString(), Is.EqualTo("Gelu(approximation: Tanh)"));
        Assert.That(new Sigmoid().ToString(), Is.EqualTo("Sigmoid()"));
        Assert.That(new Tanh().ToString(), Is.EqualTo("Tanh()"));
    }

    [Test]
    public void Bad_settings_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new LeakyReLU(float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Gelu((GeluApproximation)7));
    }
}
