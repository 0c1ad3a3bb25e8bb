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
}
