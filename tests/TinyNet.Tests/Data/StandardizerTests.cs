using TinyNet.Data;

namespace TinyNet.Tests.Data;

[TestFixture]
public sealed class StandardizerTests
{
    [Test]
    public void Fit_gives_each_features_mean_and_population_deviation()
    {
        // Column 0: 1, 2, 3, 6 -> mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5. Column 1 is constant.
        var inputs = Tensor.FromArray([1, 5, 2, 5, 3, 5, 6, 5], 4, 2);
        Standardizer standardizer = Standardizer.Fit(inputs);
        Assert.That(standardizer.Mean, Is.EqualTo(new[] { 3f, 5f }));
        Assert.That(standardizer.Scale[0], Is.EqualTo(MathF.Sqrt(3.5f)).Within(1e-6f));
        Assert.That(standardizer.Scale[1], Is.EqualTo(1f), "a constant feature is not divided by zero");

        float[] scaled = standardizer.Transform(inputs).ToArray();
        Assert.That(scaled[0], Is.EqualTo(-2f / MathF.Sqrt(3.5f)).Within(1e-6f));
        Assert.That(scaled[6], Is.EqualTo(3f / MathF.Sqrt(3.5f)).Within(1e-6f));
        Assert.That(scaled.Where((_, i) => i % 2 == 1), Is.All.EqualTo(0f));
    }

    [Test]
    public void The_training_statistics_apply_to_other_data_and_the_dataset_keeps_its_targets()
    {
        var train = new Dataset(Tensor.FromArray([0, 10, 2, 30], 2, 2), Tensor.FromArray([0, 1], 2));
        Standardizer standardizer = Standardizer.Fit(train);
        var test = new Dataset(Tensor.FromArray([1, 20, 4, 40, 0, 0], 3, 2), Tensor.FromArray([1, 0, 1], 3));
        Dataset scaled = standardizer.Transform(test);
        Assert.That(scaled.Inputs.ToArray(), Is.EqualTo(new[] { 0f, 0f, 3f, 2f, -1f, -2f }));
        Assert.That(scaled.Targets, Is.SameAs(test.Targets));
        Assert.That(test.Inputs.ToArray()[0], Is.EqualTo(1f), "the original is not changed");
    }

    [Test]
    public void A_large_offset_does_not_swallow_a_small_spread()
    {
        var inputs = Tensor.FromArray([100000.5f, 100001.5f, 100000.5f, 100001.5f], 4, 1);
        Standardizer standardizer = Standardizer.Fit(inputs);
        Assert.That(standardizer.Scale[0], Is.EqualTo(0.5f));
    }

    [Test]
    public void Bad_input_names_the_argument()
    {
        Standardizer standardizer = Standardizer.Fit(Tensor.FromArray([1, 2, 3, 4], 2, 2));
        Assert.That(Assert.Throws<ArgumentException>(() => standardizer.Transform(new Tensor(3, 3)))!.Message, Does.Contain("[3, 3]").And.Contain("2 features"));
        Assert.That(Assert.Throws<ArgumentException>(() => Standardizer.Fit(new Tensor(4)))!.ParamName, Is.EqualTo("inputs"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new Standardizer([0f], [0f]))!.ParamName, Is.EqualTo("scale"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new Standardizer([float.NaN], [1f]))!.ParamName, Is.EqualTo("mean"));
    }
}
