using TinyNet.Data;

namespace TinyNet.Tests.Data;

[TestFixture]
public sealed class DatasetTests
{
    [Test]
    public void Inputs_and_targets_must_hold_the_same_number_of_samples()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new Dataset(new Tensor(10, 3), new Tensor(9)));
        Assert.That(ex!.ParamName, Is.EqualTo("targets"));
        Assert.That(ex.Message, Does.Contain("[10, 3]").And.Contain("[9]"));
    }

    [Test]
    public void An_empty_dataset_or_a_scalar_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => _ = new Dataset(new Tensor(0, 3), new Tensor(0)));
        Assert.Throws<ArgumentException>(() => _ = new Dataset(new Tensor(), new Tensor(1)));
    }

    [Test]
    public void Split_partitions_the_samples_and_is_seeded()
    {
        var inputs = new Tensor(100, 2);
        var targets = new Tensor(100);
        for (int i = 0; i < 100; i++)
        {
            inputs.AsSpan()[2 * i] = i;
            targets.AsSpan()[i] = i;
        }

        var data = new Dataset(inputs, targets);
        (Dataset train, Dataset validation) = data.Split(0.2f, seed: 5);
        Assert.That((train.Count, validation.Count), Is.EqualTo((80, 20)));
        float[] all = train.Targets.ToArray().Concat(validation.Targets.ToArray()).ToArray();
        Assert.That(all.Order(), Is.EqualTo(Enumerable.Range(0, 100).Select(i => (float)i)).AsCollection);
        Assert.That(validation.Inputs.ToArray().Where((_, i) => i % 2 == 0), Is.EqualTo(validation.Targets.ToArray()).AsCollection, "rows stay together");
        Assert.That(data.Split(0.2f, seed: 5).Validation.Targets.ToArray(), Is.EqualTo(validation.Targets.ToArray()).AsCollection);
        Assert.That(data.Split(0.2f, seed: 6).Validation.Targets.ToArray(), Is.Not.EqualTo(validation.Targets.ToArray()).AsCollection);
    }

    [TestCase(0f)]
    [TestCase(1f)]
    [TestCase(0.001f)]
    public void A_split_that_leaves_a_side_empty_is_rejected(float fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset(new Tensor(10, 1), new Tensor(10)).Split(fraction));

    [Test]
    public void Synthetic_data_is_seeded_and_shaped()
    {
        Dataset spirals = SyntheticData.Spirals(50, classes: 3, seed: 1);
        Assert.That((spirals.Inputs.Shape, spirals.Targets.Shape), Is.EqualTo((new[] { 150, 2 }, new[] { 150 })).Using<(IReadOnlyList<int>, IReadOnlyList<int>)>((x, y) => x.Item1.SequenceEqual(y.Item1) && x.Item2.SequenceEqual(y.Item2)));
        Assert.That(spirals.Targets.ToArray().Distinct().Order(), Is.EqualTo(new[] { 0f, 1f, 2f }).AsCollection);
        Assert.That(SyntheticData.Spirals(50, classes: 3, seed: 1).Inputs.ToArray(), Is.EqualTo(spirals.Inputs.ToArray()).AsCollection);
        Assert.That(SyntheticData.Spirals(50, classes: 3, seed: 2).Inputs.ToArray(), Is.Not.EqualTo(spirals.Inputs.ToArray()).AsCollection);
        Assert.That(SyntheticData.Moons(101).Count, Is.EqualTo(101));
        Assert.That(SyntheticData.Blobs(10, 4).Targets.ToArray().Distinct().Count(), Is.EqualTo(4));
        Dataset regression = SyntheticData.Regression(200, noise: 0f);
        for (int i = 0; i < 200; i++)
        {
            Assert.That(regression.Targets.AsSpan()[i], Is.EqualTo(MathF.Sin(regression.Inputs.AsSpan()[i])).Within(1e-6f));
        }
    }

    [Test]
    public void Synthetic_data_rejects_bad_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Spirals(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Spirals(10, classes: 1));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Blobs(10, spread: -1f));
        Assert.That(ex!.ParamName, Is.EqualTo("spread"));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticData.Moons(10, noise: float.NaN));
    }

    [Test]
    public void A_stratified_split_keeps_each_class_share_on_both_sides()
    {
        // 60 of class 0, 30 of class 1, 10 of class 2; the inputs hold the sample index.
        var inputs = new Tensor(100, 1);
        var targets = new Tensor(100);
        for (int i = 0; i < 100; i++)
        {
            inputs.AsSpan()[i] = i;
            targets.AsSpan()[i] = i < 60 ? 0 : i < 90 ? 1 : 2;
        }

        (Dataset train, Dataset validation) = new Dataset(inputs, targets).StratifiedSplit(0.25f, seed: 3);
        Assert.That(CountPerClass(validation), Is.EqualTo(new[] { 15, 8, 3 }), "round(60/4), round(7.5), round(2.5), halves away from zero");
        Assert.That(CountPerClass(train), Is.EqualTo(new[] { 45, 22, 7 }));
        Assert.That(train.Inputs.ToArray().Concat(validation.Inputs.ToArray()).Order(), Is.EqualTo(Enumerable.Range(0, 100).Select(i => (float)i)).AsCollection);
        for (int i = 0; i < validation.Count; i++)
        {
            int sample = (int)validation.Inputs.ToArray()[i];
            Assert.That(validation.Targets.ToArray()[i], Is.EqualTo(targets.ToArray()[sample]), "targets follow their inputs");
        }

        (Dataset again, _) = new Dataset(inputs, targets).StratifiedSplit(0.25f, seed: 3);
        Assert.That(again.Inputs.ToArray(), Is.EqualTo(train.Inputs.ToArray()), "seeded");
        Assert.That(train.Inputs.ToArray().Take(10), Is.Not.Ordered, "in random order");
    }

    [Test]
    public void A_stratified_split_needs_class_indices()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => new Dataset(new Tensor(4, 2), new Tensor(4, 2)).StratifiedSplit(0.5f))!.Message, Does.Contain("[4, 2]"));
        Assert.That(Assert.Throws<ArgumentException>(() => new Dataset(new Tensor(2, 2), Tensor.FromArray([0, 1.5f], 2)).StratifiedSplit(0.5f))!.Message, Does.Contain("sample 1 has target 1.5"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset(new Tensor(3, 2), Tensor.FromArray([0, 1, 2], 3)).StratifiedSplit(0.1f));
    }

    private static int[] CountPerClass(Dataset data) =>
        Enumerable.Range(0, 3).Select(c => data.Targets.ToArray().Count(t => (int)t == c)).ToArray();
}
