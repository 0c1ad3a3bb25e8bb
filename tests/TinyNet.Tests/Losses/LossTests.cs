using TinyNet.Diagnostics;
using TinyNet.Losses;

namespace TinyNet.Tests.Losses;

[TestFixture]
public sealed class LossTests
{
    [Test]
    public void MeanSquaredError_is_the_mean_over_every_element()
    {
        var loss = new MeanSquaredError();
        float value = loss.Forward(Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2), Tensor.FromArray([0f, 2f, 5f, 4f], 2, 2));
        Assert.That(value, Is.EqualTo(5.0 / 4).Within(1e-7));
        Assert.That(loss.Backward().ToArray(), Is.EqualTo(new[] { 0.5f, 0f, -1f, 0f }).Within(1e-7).AsCollection);
    }

    [Test]
    public void BinaryCrossEntropyWithLogits_matches_the_textbook_formula()
    {
        float[] logits = [0f, 2f, -1f, 3.5f];
        float[] targets = [1f, 0f, 0.5f, 1f];
        var loss = new BinaryCrossEntropyWithLogits();
        float value = loss.Forward(Tensor.FromArray(logits, 4), Tensor.FromArray(targets, 4));
        double expected = 0;
        for (int i = 0; i < 4; i++)
        {
            double s = 1 / (1 + Math.Exp(-logits[i]));
            expected -= (targets[i] * Math.Log(s)) + ((1 - targets[i]) * Math.Log(1 - s));
        }

        Assert.That(value, Is.EqualTo(expected / 4).Within(1e-6));
        float[] gradient = loss.Backward().ToArray();
        for (int i = 0; i < 4; i++)
        {
            Assert.That(gradient[i], Is.EqualTo(((1 / (1 + Math.Exp(-logits[i]))) - targets[i]) / 4).Within(1e-7));
        }
    }

    [Test]
    public void SoftmaxCrossEntropy_with_class_indices_is_the_mean_negative_log_probability()
    {
        var loss = new SoftmaxCrossEntropy();
        float value = loss.Forward(Tensor.FromArray([1f, 2f, 3f, 0f, 0f, 0f], 2, 3), Tensor.FromArray([2f, 0f], 2));
        double first = -Math.Log(Math.Exp(3) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3)));
        double second = -Math.Log(1.0 / 3);
        Assert.That(value, Is.EqualTo((first + second) / 2).Within(1e-6));
        float[] gradient = loss.Backward().ToArray();
        double total = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.That(gradient[2], Is.EqualTo(((Math.Exp(3) / total) - 1) / 2).Within(1e-7));
        Assert.That(gradient[0], Is.EqualTo(Math.Exp(1) / total / 2).Within(1e-7));
        Assert.That(gradient[3], Is.EqualTo(((1.0 / 3) - 1) / 2).Within(1e-7));
    }

    [Test]
    public void SoftmaxCrossEntropy_with_probabilities_equals_indices_for_one_hot_rows()
    {
        Tensor logits = TestData.Random(1, 3f, 4, 5);
        float[] labels = [0f, 4f, 2f, 2f];
        var oneHot = new Tensor(4, 5);
        for (int i = 0; i < 4; i++)
        {
            oneHot.AsSpan()[(i * 5) + (int)labels[i]] = 1f;
        }

        var byIndex = new SoftmaxCrossEntropy();
        var byProbability = new SoftmaxCrossEntropy();
        Assert.That(byProbability.Forward(logits, oneHot), Is.EqualTo(byIndex.Forward(logits, Tensor.FromArray(labels, 4))).Within(1e-6));
        Assert.That(byProbability.Backward().ToArray(), Is.EqualTo(byIndex.Backward().ToArray()).Within(1e-7).AsCollection);
    }

    [Test]
    public void Extreme_logits_give_finite_losses_and_gradients()
    {
        var softmax = new SoftmaxCrossEntropy();
        float value = softmax.Forward(Tensor.FromArray([1000f, -1000f, 0f], 1, 3), Tensor.FromArray([1f], 1));
        Assert.That(value, Is.EqualTo(2000f).Within(1e-3));
        Assert.That(softmax.Backward().ToArray(), Is.All.Matches<float>(float.IsFinite));

        var binary = new BinaryCrossEntropyWithLogits();
        value = binary.Forward(Tensor.FromArray([1000f, -1000f, 1000f], 3), Tensor.FromArray([0f, 1f, 1f], 3));
        Assert.That(value, Is.EqualTo(2000.0 / 3).Within(1e-3));
        Assert.That(binary.Backward().ToArray(), Is.EqualTo(new[] { 1f / 3, -1f / 3, 0f }).Within(1e-7).AsCollection);
    }

    private static IEnumerable<TestCaseData> Checks()
    {
        yield return new TestCaseData(new MeanSquaredError(), TestData.Random(1, 2f, 3, 4), TestData.Random(2, 2f, 3, 4)).SetArgDisplayNames("MSE");
        yield return new TestCaseData(new BinaryCrossEntropyWithLogits(), TestData.Random(3, 3f, 2, 5), Tensor.FromArray([0f, 1f, 0.3f, 1f, 0f, 0.5f, 1f, 0f, 0.9f, 0.1f], 2, 5)).SetArgDisplayNames("BCE");
        yield return new TestCaseData(new SoftmaxCrossEntropy(), TestData.Random(4, 3f, 3, 4), Tensor.FromArray([3f, 0f, 1f], 3)).SetArgDisplayNames("SoftmaxCE indices");
        yield return new TestCaseData(new SoftmaxCrossEntropy(), TestData.Random(5, 3f, 1, 6), Tensor.FromArray([0.1f, 0.2f, 0.3f, 0.1f, 0.2f, 0.1f], 1, 6)).SetArgDisplayNames("SoftmaxCE probabilities, batch 1");
    }

    [TestCaseSource(nameof(Checks))]
    public void The_gradient_passes_a_finite_difference_check(Loss loss, Tensor prediction, Tensor target)
    {
        GradientCheckResult result = GradientChecker.CheckLoss(loss, prediction, target);
        Assert.That(result.Passed(), Is.True, result.ToString());
    }

    [Test]
    public void A_target_of_the_wrong_shape_is_rejected_with_both_shapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MeanSquaredError().Forward(new Tensor(2, 3), new Tensor(3, 2)));
        Assert.That(ex!.ParamName, Is.EqualTo("target"));
        Assert.That(ex.Message, Does.Contain("[3, 2]").And.Contain("[2, 3]"));
        ex = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Forward(new Tensor(4, 3), new Tensor(3)));
        Assert.That(ex!.Message, Does.Contain("[4] class indices or [4, 3] probabilities"));
        ex = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy().Forward(new Tensor(4), new Tensor(4)));
        Assert.That(ex!.ParamName, Is.EqualTo("prediction"));
    }

    [TestCase(3f, "not a class index")]
    [TestCase(-1f, "not a class index")]
    [TestCase(1.5f, "not a class index")]
    [TestCase(float.NaN, "not a class index")]
    public void A_class_index_out_of_range_or_not_whole_is_rejected(float label, string message)
    {
        var ex = Assert.Throws<ArgumentException>(
            () => new SoftmaxCrossEntropy().Forward(new Tensor(2, 3), Tensor.FromArray([0f, label], 2)));
        Assert.That(ex!.Message, Does.Contain("target[1]").And.Contain(message).And.Contain("[0, 3)"));
    }

    [Test]
    public void Backward_before_Forward_is_a_clear_error()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new MeanSquaredError().Backward());
        Assert.That(ex!.Message, Does.Contain("before Forward"));
    }
}
