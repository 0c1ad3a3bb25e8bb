using TinyNet.Training;
using TinyNet.Training.Callbacks;

namespace TinyNet.Tests.Training;

/// <summary>The trainer's side of data parallelism, without MPI: the plan and a group of one.</summary>
[TestFixture]
public sealed class DataParallelTests
{
    [Test]
    public void The_plan_counts_global_batches()
    {
        var options = new TrainerOptions { BatchSize = 100, Epochs = 3, DataParallel = new FakeGroup(rank: 1, size: 3) };
        TrainingPlan plan = TrainingPlan.Create(1500, options);
        Assert.That((plan.BatchSize, plan.Ranks, plan.BatchesPerEpoch, plan.StepsPerEpoch, plan.TotalSteps), Is.EqualTo((300, 3, 5, 5, 15L)));
        Assert.That(plan.ToString(), Does.StartWith("1500 samples, batch size 300 (3 ranks x 100) -> 5 batches per epoch"));
    }

    [Test]
    public void A_group_of_one_trains_bitwise_as_one_process()
    {
        float[] Train(DataParallelGroup? group)
        {
            var model = TrainingSetup.Model(seed: 3);
            var trainer = TrainingSetup.Trainer(model, new TrainerOptions { BatchSize = 7, Epochs = 2, DataParallel = group });
            trainer.Fit(TrainingSetup.Regression(40, seed: 2));
            return TrainingSetup.Weights(model);
        }

        var group = new FakeGroup(rank: 0, size: 1);
        Assert.That(Train(group), Is.EqualTo(Train(null)).AsCollection);
        Assert.That(group.Sums, Is.EqualTo(2 * 2 * 6), "a gradient sum and a statistics sum per iteration");
    }

    [Test]
    public void Metrics_are_summed_once_per_iteration_and_match_one_process()
    {
        (float[] Weights, IReadOnlyDictionary<string, float>[] Epochs) Train(DataParallelGroup? group)
        {
            var model = TrainingSetup.Model(seed: 3);
            var history = new History();
            var trainer = TrainingSetup.Trainer(model, new TrainerOptions { BatchSize = 7, Epochs = 2, DataParallel = group, Metrics = ["mae", "rmse", "r2"] });
            trainer.Callbacks.Add(history);
            trainer.Fit(TrainingSetup.Regression(40, seed: 2));
            return (TrainingSetup.Weights(model), [.. history.Epochs.Select(epoch => epoch.TrainMetrics!)]);
        }

        var group = new FakeGroup(rank: 0, size: 1);
        var (weights, epochs) = Train(group);
        var (expectedWeights, expectedEpochs) = Train(null);
        Assert.That(weights, Is.EqualTo(expectedWeights).AsCollection);
        Assert.That(epochs, Has.Length.EqualTo(2));
        for (int epoch = 0; epoch < 2; epoch++)
        {
            // A group adds each iteration's sums whole; one process adds every sample's term in
            // turn: the regression sums (doubles) may differ in their last bits, far below a float's.
            Assert.That(epochs[epoch].Keys, Is.EquivalentTo(new[] { "mae", "rmse", "r2" }));
            foreach ((string name, float value) in expectedEpochs[epoch])
            {
                Assert.That(epochs[epoch][name], Is.EqualTo(value).Within(1e-4).Percent, $"epoch {epoch + 1}'s {name}");
            }
        }

        Assert.That(group.Sums, Is.EqualTo(2 * 3 * 6), "a gradient sum, a statistics sum and a metrics sum per iteration");
    }

    /// <summary>A group whose sums leave each value as it is: the one rank of a group of one.</summary>
    private sealed class FakeGroup(int rank, int size) : DataParallelGroup
    {
        public int Sums { get; private set; }

        public override int Rank => rank;

        public override int Size => size;

        public override void SumInRankOrder(Span<float> values, bool contributes)
        {
            Sums++;
            if (!contributes)
            {
                values.Clear();
            }
        }

        public override void SumInRankOrder(Span<double> values) => Sums++;
    }
}
