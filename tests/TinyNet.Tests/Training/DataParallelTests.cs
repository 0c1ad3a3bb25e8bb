using TinyNet.Training;

namespace TinyNet.Tests.Training;

/// <summary>The trainer's side of data parallelism, without MPI: the plan, a group of one, and what is refused.</summary>
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
    public void Metrics_are_not_summed_across_ranks_yet_and_say_so()
    {
        var model = TrainingSetup.Model();
        var error = Assert.Throws<ArgumentException>(() => TrainingSetup.Trainer(model, new TrainerOptions { DataParallel = new FakeGroup(0, 2), Metrics = ["r2"] }));
        Assert.That(error!.ParamName, Is.EqualTo("Metrics"));
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
