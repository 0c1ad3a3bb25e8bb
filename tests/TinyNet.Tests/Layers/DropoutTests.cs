using TinyNet.Layers;

namespace TinyNet.Tests.Layers;

[TestFixture]
public sealed class DropoutTests
{
    [Test]
    public void In_evaluation_it_is_the_identity()
    {
        var dropout = new Dropout(0.5f, seed: 1) { IsTraining = false };
        Tensor input = TestData.Random(1, 1f, 10, 10);
        Assert.That(dropout.Forward(input).ToArray(), Is.EqualTo(input.ToArray()).AsCollection);
        Tensor gradient = TestData.Random(2, 1f, 10, 10);
        Assert.That(dropout.Backward(gradient).ToArray(), Is.EqualTo(gradient.ToArray()).AsCollection);
    }

    [TestCase(0.1f)]
    [TestCase(0.5f)]
    [TestCase(0.9f)]
    public void In_training_the_kept_fraction_is_one_minus_p_and_kept_values_are_scaled(float p)
    {
        const int n = 100_000;
        var dropout = new Dropout(p, seed: 7);
        var input = new Tensor(n);
        input.AsSpan().Fill(1f);
        float[] output = dropout.Forward(input).ToArray();
        int kept = output.Count(v => v != 0f);
        double expected = n * (1 - p);
        double sigma = Math.Sqrt(n * p * (1 - p));
        Assert.That(kept, Is.InRange(expected - (5 * sigma), expected + (5 * sigma)));
        Assert.That(output.Where(v => v != 0f), Is.All.EqualTo(1f / (1f - p)).Within(1e-6));
    }

    [Test]
    public void Backward_passes_the_gradient_through_the_same_mask()
    {
        var dropout = new Dropout(0.5f, seed: 3);
        var input = new Tensor(1000);
        input.AsSpan().Fill(1f);
        float[] output = dropout.Forward(input).ToArray();
        var gradient = new Tensor(1000);
        gradient.AsSpan().Fill(1f);
        Assert.That(dropout.Backward(gradient).ToArray(), Is.EqualTo(output).AsCollection, "gradient * mask = input * mask for ones");
    }

    [Test]
    public void The_same_seed_gives_the_same_masks()
    {
        var input = new Tensor(64);
        input.AsSpan().Fill(1f);
        float[] first = new Dropout(0.3f, seed: 9).Forward(input).ToArray();
        Assert.That(new Dropout(0.3f, seed: 9).Forward(input).ToArray(), Is.EqualTo(first).AsCollection);
    }

    [TestCase(-0.1f)]
    [TestCase(1f)]
    [TestCase(float.NaN)]
    public void A_probability_outside_zero_to_one_is_rejected(float p)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Dropout(p));
        Assert.That(ex!.ParamName, Is.EqualTo("probability"));
    }
}
