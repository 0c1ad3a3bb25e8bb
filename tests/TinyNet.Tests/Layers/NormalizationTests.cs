using TinyNet.Diagnostics;
using TinyNet.Layers;

namespace TinyNet.Tests.Layers;

[TestFixture]
public sealed class NormalizationTests
{
    [Test]
    public void BatchNorm1d_in_training_normalizes_with_the_batch_and_updates_the_running_statistics()
    {
        // Feature 0: 1, 2, 3, 6 (mean 3, biased variance 3.5, unbiased 14/3); feature 1: -1, 1, -1, 1.
        var norm = new BatchNorm1d(2);
        norm.Weight.Value.AsSpan()[0] = 2f;
        norm.Bias.Value.AsSpan()[1] = 0.5f;
        Tensor output = norm.Forward(Tensor.FromArray([1, -1, 2, 1, 3, -1, 6, 1], 4, 2));

        double inv0 = 1 / Math.Sqrt(3.5 + 1e-5), inv1 = 1 / Math.Sqrt(1 + 1e-5);
        double[] expected = [2 * -2 * inv0, -inv1 + 0.5, 2 * -1 * inv0, inv1 + 0.5, 0, -inv1 + 0.5, 2 * 3 * inv0, inv1 + 0.5];
        Assert.That(output.ToArray(), Is.EqualTo(expected.Select(v => (float)v)).Within(1e-5f));
        Assert.That(norm.RunningMean.ToArray(), Is.EqualTo(new[] { 0.3f, 0f }).Within(1e-6f));
        Assert.That(norm.RunningVariance.ToArray(), Is.EqualTo(new[] { (0.9f * 1) + (0.1f * 14f / 3), (0.9f * 1) + (0.1f * 4f / 3) }).Within(1e-6f));
        Assert.That(norm.Buffers.Single(b => b.Name == "num_batches_tracked").Value.ToArray(), Is.EqualTo(new[] { 1f }));
    }

    [Test]
    public void BatchNorm_in_evaluation_uses_the_running_statistics_and_changes_nothing()
    {
        var norm = new BatchNorm2d(2);
        norm.RunningMean.AsSpan()[1] = 4f;
        norm.RunningVariance.AsSpan()[1] = 9f;
        norm.IsTraining = false;
        Tensor input = TestData.Random(1, 3f, 2, 2, 3, 3);
        float[] output = norm.Forward(input).ToArray();
        float[] x = input.ToArray();
        for (int n = 0; n < 2; n++)
        {
            for (int i = 0; i < 9; i++)
            {
                int c0 = (n * 18) + i, c1 = (n * 18) + 9 + i;
                Assert.That(output[c0], Is.EqualTo(x[c0] / Math.Sqrt(1 + 1e-5)).Within(1e-5));
                Assert.That(output[c1], Is.EqualTo((x[c1] - 4) / Math.Sqrt(9 + 1e-5)).Within(1e-5));
            }
        }

        Assert.That(norm.RunningMean.ToArray(), Is.EqualTo(new[] { 0f, 4f }));
        Assert.That(norm.Buffers[2].Value.ToArray(), Is.EqualTo(new[] { 0f }), "no batch tracked in evaluation");
    }

    [Test]
    public void BatchNorm2d_normalizes_each_channel_over_the_batch_and_the_pixels()
    {
        var norm = new BatchNorm2d(3);
        Tensor output = norm.Forward(TestData.Random(2, 2f, 4, 3, 5, 3));
        float[] y = output.ToArray();
        for (int c = 0; c < 3; c++)
        {
            double[] channel = [.. Enumerable.Range(0, 4).SelectMany(n => y.Skip(((n * 3) + c) * 15).Take(15)).Select(v => (double)v)];
            Assert.That(channel.Average(), Is.EqualTo(0).Within(1e-5));
            Assert.That(channel.Select(v => v * v).Average(), Is.EqualTo(1).Within(1e-3));
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void BatchNorm_passes_the_gradient_check_in_training_and_evaluation(bool training)
    {
        foreach ((Layer norm, Tensor input) in new (Layer, Tensor)[]
        {
            (new BatchNorm1d(3), TestData.Random(1, 2f, 5, 3)),
            (new BatchNorm1d(2), TestData.Random(2, 2f, 3, 2, 4)),
            (new BatchNorm2d(2), TestData.Random(3, 2f, 2, 2, 3, 3)),
        })
        {
            norm.Parameters[0].Value.AsSpan().Fill(1.5f);
            norm.Parameters[1].Value.AsSpan().Fill(-0.25f);
            norm.IsTraining = training;
            GradientCheckResult result = GradientChecker.CheckLayer(norm, input, step: 1e-2f, maxElementsPerTensor: 200);
            Assert.That(result.Passed(), Is.True, $"{norm}: {result}");
        }
    }

    [Test]
    public void BatchNorm_in_training_needs_more_than_one_value_per_channel()
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(new Tensor(1, 3)));
        Assert.That(error!.Message, Does.Contain("more than one value per channel"));
        var evaluation = new BatchNorm1d(3) { IsTraining = false };
        Assert.That(evaluation.Forward(new Tensor(1, 3)).Shape, Is.EqualTo(new[] { 1, 3 }));
        Assert.That(Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(new Tensor(2, 4, 2, 2)))!.Message, Does.Contain("[batch, 3, height, width]").And.Contain("[2, 4, 2, 2]"));
    }

    [Test]
    public void The_running_statistics_are_buffers_under_PyTorchs_names()
    {
        var model = new Sequential(new Linear(3, 4, seed: 1), new BatchNorm1d(4));
        Assert.That(model.Parameters.Select(p => p.Name), Is.EqualTo(new[] { "0.weight", "0.bias", "1.weight", "1.bias" }));
        Assert.That(model.Buffers.Select(b => b.Name), Is.EqualTo(new[] { "1.running_mean", "1.running_var", "1.num_batches_tracked" }));
        Assert.That(model.Buffers[2].Value.Shape, Is.Empty, "a scalar, as PyTorch's");
    }

    [Test]
    public void LayerNorm_normalizes_each_row_and_passes_the_gradient_check()
    {
        var norm = new LayerNorm(4);
        norm.Weight.Value.AsSpan().Fill(2f);
        norm.Bias.Value.AsSpan().Fill(1f);
        float[] y = norm.Forward(Tensor.FromArray([1, 2, 3, 6, 0, 0, 0, 0], 2, 4)).ToArray();
        double inv = 1 / Math.Sqrt(3.5 + 1e-5);
        Assert.That(y.Take(4), Is.EqualTo(new[] { 1 - (4 * inv), 1 - (2 * inv), 1, 1 + (6 * inv) }.Select(v => (float)v)).Within(1e-5f));
        Assert.That(y.Skip(4), Is.All.EqualTo(1f), "a constant row becomes the bias");

        var check = new LayerNorm(5);
        check.Weight.Value.AsSpan().Fill(0.7f);
        foreach (Tensor input in new[] { TestData.Random(1, 2f, 3, 5), TestData.Random(2, 2f, 2, 3, 5) })
        {
            GradientCheckResult result = GradientChecker.CheckLayer(check, input, maxElementsPerTensor: 200);
            Assert.That(result.Passed(), Is.True, result.ToString());
        }

        Assert.Throws<ArgumentException>(() => norm.Forward(new Tensor(2, 5)));
    }

    [Test]
    public void Embedding_looks_up_rows_and_adds_gradients_of_repeated_indices()
    {
        var embedding = new Embedding(5, 3, seed: 1);
        float[] table = embedding.Weight.Value.ToArray();
        Tensor indices = Tensor.FromArray([4, 0, 4, 2], 2, 2);
        Tensor output = embedding.Forward(indices);
        Assert.That(output.Shape, Is.EqualTo(new[] { 2, 2, 3 }));
        Assert.That(output.ToArray(), Is.EqualTo(table.Skip(12).Take(3).Concat(table.Take(3)).Concat(table.Skip(12).Take(3)).Concat(table.Skip(6).Take(3))));

        embedding.Backward(Tensor.FromArray(Enumerable.Range(1, 12).Select(i => (float)i).ToArray(), 2, 2, 3));
        float[] gradient = embedding.Weight.Gradient.ToArray();
        Assert.That(gradient.Skip(12), Is.EqualTo(new float[] { 1 + 7, 2 + 8, 3 + 9 }));
        Assert.That(gradient.Take(3), Is.EqualTo(new float[] { 4, 5, 6 }));
        Assert.That(gradient.Skip(3).Take(3), Is.All.Zero);

        GradientCheckResult result = GradientChecker.CheckLayer(new Embedding(6, 4, seed: 2), Tensor.FromArray([1, 5, 5, 0, 3, 1], 3, 2), checkInput: false);
        Assert.That(result.Passed(), Is.True, result.ToString());
    }

    [TestCase(5f)]
    [TestCase(-1f)]
    [TestCase(1.5f)]
    [TestCase(float.NaN)]
    public void Embedding_rejects_an_index_out_of_range_or_not_whole(float index)
    {
        var error = Assert.Throws<ArgumentException>(() => new Embedding(5, 3).Forward(Tensor.FromArray([0, index], 2)));
        Assert.That(error!.Message, Does.Contain("input[1]").And.Contain("[0, 5)"));
    }
}
