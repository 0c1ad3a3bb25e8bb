using TinyNet.Diagnostics;
using TinyNet.Layers;

namespace TinyNet.Tests.Diagnostics;

[TestFixture]
public sealed class GradientCheckerTests
{
    [Test]
    public void A_wrong_backward_pass_is_caught_and_named()
    {
        GradientCheckResult result = GradientChecker.CheckLayer(new WrongSquare(), TestData.Random(1, 1f, 2, 3));
        Assert.That(result.Passed(), Is.False);
        Assert.That(result.WorstElement, Does.StartWith("input["));
        Assert.That(result.Analytic / result.Numeric, Is.EqualTo(1.5).Within(0.01), "the layer's gradient is 3x where 2x is right");
    }

    [Test]
    public void A_right_backward_pass_passes_and_the_input_is_restored()
    {
        Tensor input = TestData.Random(2, 1f, 2, 3);
        float[] before = input.ToArray();
        GradientCheckResult result = GradientChecker.CheckLayer(new Linear(3, 2, seed: 1), input);
        Assert.That(result.Passed(), Is.True, result.ToString());
        Assert.That(input.ToArray(), Is.EqualTo(before).AsCollection);
        Assert.That(result.ElementsChecked, Is.EqualTo(6 + 6 + 2));
    }

    [Test]
    public void Bad_settings_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientChecker.CheckLayer(new ReLU(), new Tensor(2), step: 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientChecker.CheckLayer(new ReLU(), new Tensor(2), maxElementsPerTensor: 0));
    }

    /// <summary>y = x², with a backward pass that is wrong on purpose: 3x instead of 2x.</summary>
    private sealed class WrongSquare : ElementwiseLayer
    {
        protected override void Apply(ReadOnlySpan<float> input, Span<float> output)
        {
            for (int i = 0; i < input.Length; i++)
            {
                output[i] = input[i] * input[i];
            }
        }

        protected override void ApplyGradient(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, Span<float> gradInput)
        {
            for (int i = 0; i < input.Length; i++)
            {
                gradInput[i] = 3 * input[i] * gradOutput[i];
            }
        }
    }
}
