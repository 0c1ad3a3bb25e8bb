using TinyNet.Layers;

namespace TinyNet.Tests.Layers;

[TestFixture]
public sealed class LayerExtensionsTests
{
    [Test]
    public void Predict_runs_in_evaluation_mode_in_batches_and_restores_the_mode()
    {
        var model = new Sequential(new Linear(3, 4, seed: 1), new Dropout(0.5f, seed: 2), new Linear(4, 2, seed: 3));
        Tensor inputs = TestData.Random(1, 1f, 10, 3);
        Parameter weight = model.Parameters[0];
        float[] gradientBefore = weight.Gradient.ToArray();

        model.IsTraining = false;
        float[] whole = model.Forward(inputs).ToArray();
        model.IsTraining = true;
        Tensor predicted = model.Predict(inputs, batchSize: 3);

        Assert.That(predicted.Shape, Is.EqualTo(new[] { 10, 2 }));
        // Equal up to rounding, not bitwise: the GEMM picks its path by the batch's shape, and the
        // narrow path that takes 10 rows x 2 outputs on AVX2 sums in another order than the
        // blocked one that takes 3 rows.
        Assert.That(predicted.ToArray(), Is.EqualTo(whole).Within(1e-6f), "batches of 3, 3, 3, 1 give the whole batch's rows; Dropout is off");
        Assert.That(model.IsTraining, Is.True);
        Assert.That(weight.Gradient.ToArray(), Is.EqualTo(gradientBefore));
        model.IsTraining = false;
        model.Predict(inputs);
        Assert.That(model.IsTraining, Is.False);
    }

    [Test]
    public void Classes_and_probabilities_of_a_softmax_classifier()
    {
        var model = new Sequential(new Linear(2, 3, seed: 1));
        Tensor inputs = TestData.Random(2, 3f, 6, 2);
        float[] scores = model.Predict(inputs).ToArray();
        float[] probabilities = model.PredictProbabilities(inputs).ToArray();
        int[] classes = model.PredictClasses(inputs);
        for (int i = 0; i < 6; i++)
        {
            double[] exp = [.. Enumerable.Range(0, 3).Select(c => Math.Exp(scores[(3 * i) + c]))];
            for (int c = 0; c < 3; c++)
            {
                Assert.That(probabilities[(3 * i) + c], Is.EqualTo(exp[c] / exp.Sum()).Within(1e-6));
            }

            Assert.That(classes[i], Is.EqualTo(Array.IndexOf(exp, exp.Max())));
        }
    }

    [Test]
    public void Classes_and_probabilities_of_a_binary_classifier()
    {
        var model = new Sequential(new Linear(2, 1, seed: 1));
        Tensor inputs = TestData.Random(3, 3f, 8, 2);
        float[] logits = model.Predict(inputs).ToArray();
        Assert.That(model.PredictProbabilities(inputs).ToArray(), Is.EqualTo(logits.Select(x => 1 / (1 + MathF.Exp(-x)))).Within(1e-6f));
        Assert.That(model.PredictClasses(inputs), Is.EqualTo(logits.Select(x => x > 0 ? 1 : 0)));
    }

    [Test]
    public void Inputs_that_do_not_fit_are_an_argument_error_naming_both_shapes()
    {
        var model = new Sequential(new Linear(3, 2, seed: 1));
        var error = Assert.Throws<ArgumentException>(() => model.Predict(new Tensor(5, 4)));
        Assert.That(error!.ParamName, Is.EqualTo("inputs"));
        Assert.That(error.Message, Does.Contain("[5, 4]").And.Contain("[batch, 3]"));
        Assert.That(model.IsTraining, Is.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict(new Tensor(5, 3), batchSize: 0));
        Assert.Throws<ArgumentException>(() => model.Predict(new Tensor(0, 3)));
    }
}
