using TinyNet.Training;

namespace TinyNet.Tests.Training;

[TestFixture]
public sealed class TrainingPlanTests
{
    [Test]
    public void The_worked_example_holds_exactly()
    {
        TrainingPlan plan = TrainingPlan.Create(1500, new TrainerOptions { BatchSize = 100, Epochs = 3 });
        Assert.That(
            (plan.BatchesPerEpoch, plan.LastBatchSize, plan.IterationsPerEpoch, plan.StepsPerEpoch, plan.TotalIterations, plan.TotalSteps),
            Is.EqualTo((15, 100, 15, 15, 45L, 45L)));
        Assert.That(plan.ToString(), Is.EqualTo(
            "1500 samples, batch size 100 -> 15 batches per epoch (the last holds 100); 1 iteration per step -> 15 steps per epoch; 3 epochs -> 45 iterations and 45 steps."));
        Assert.That(plan.Limit, Is.EqualTo(PlanLimit.Epochs));
        Assert.That(plan.Warnings, Is.Empty);
    }

    [Test]
    public void With_accumulation_4_there_are_12_steps_in_windows_of_4_4_4_3()
    {
        TrainingPlan plan = TrainingPlan.Create(1500, new TrainerOptions { BatchSize = 100, Epochs = 3, AccumulationSteps = 4 });
        Assert.That((plan.BatchesPerEpoch, plan.IterationsPerEpoch, plan.StepsPerEpoch, plan.TotalIterations, plan.TotalSteps), Is.EqualTo((15, 15, 4, 45L, 12L)));
        Assert.That(new[] { 1, 4, 5, 12, 13, 15 }.Select(plan.WindowOf), Is.EqualTo(new[] { (1, 4), (1, 4), (5, 8), (9, 12), (13, 15), (13, 15) }).AsCollection);
        Assert.That(plan.ToString(), Does.Contain("4 iterations per step -> 4 steps per epoch (windows of 4, 4, 4, 3 batches); 3 epochs -> 45 iterations and 12 steps."));
    }

    [Test]
    public void A_short_last_batch_is_kept_or_dropped()
    {
        TrainingPlan kept = TrainingPlan.Create(1550, new TrainerOptions { BatchSize = 100 });
        Assert.That((kept.BatchesPerEpoch, kept.LastBatchSize), Is.EqualTo((16, 50)));
        Assert.That(kept.ToString(), Does.Contain("16 batches per epoch (the last holds 50)"));
        TrainingPlan dropped = TrainingPlan.Create(1550, new TrainerOptions { BatchSize = 100, DropLast = true });
        Assert.That((dropped.BatchesPerEpoch, dropped.LastBatchSize), Is.EqualTo((15, 100)));
        Assert.That(dropped.ToString(), Does.Contain("(the last 50 samples dropped)"));
    }

    [Test]
    public void MaxSteps_caps_the_run_and_the_plan_says_so()
    {
        TrainingPlan plan = TrainingPlan.Create(1500, new TrainerOptions { BatchSize = 100, Epochs = 3, MaxSteps = 20 });
        Assert.That((plan.TotalSteps, plan.TotalIterations, plan.EpochsStarted, plan.Limit), Is.EqualTo((20L, 20L, 2, PlanLimit.MaxSteps)));
        Assert.That(plan.ToString(), Does.Contain("MaxSteps 20 ends training first, in epoch 2 -> 20 iterations and 20 steps."));
        Assert.That(plan.Warnings, Has.Some.Contains("mid-epoch"));

        TrainingPlan accumulated = TrainingPlan.Create(1500, new TrainerOptions { BatchSize = 100, Epochs = 3, AccumulationSteps = 4, MaxSteps = 5 });
        Assert.That((accumulated.TotalSteps, accumulated.TotalIterations), Is.EqualTo((5L, 15L + 4L)), "4 steps of epoch 1 (15 batches), then one window of 4");

        TrainingPlan generous = TrainingPlan.Create(1500, new TrainerOptions { BatchSize = 100, Epochs = 3, MaxSteps = 45 });
        Assert.That(generous.Limit, Is.EqualTo(PlanLimit.Epochs), "a cap that is not below the planned steps does not end training early");
    }

    [Test]
    public void Warnings_point_at_suspicious_settings()
    {
        Assert.That(TrainingPlan.Create(101, new TrainerOptions { BatchSize = 10 }).Warnings, Has.Some.Contains("holds 1 sample"));
        Assert.That(TrainingPlan.Create(50, new TrainerOptions { BatchSize = 100 }).Warnings, Has.Some.Contains("larger than the 50 samples"));
        Assert.That(TrainingPlan.Create(100, new TrainerOptions { BatchSize = 10, AccumulationSteps = 20 }).Warnings, Has.Some.Contains("AccumulationSteps 20"));
        Assert.That(TrainingPlan.Create(101, new TrainerOptions { BatchSize = 10 }).ToString(), Does.Contain("\nWarning: the last batch"));
    }

    [TestCase(nameof(TrainerOptions.BatchSize), 0)]
    [TestCase(nameof(TrainerOptions.Epochs), -1)]
    [TestCase(nameof(TrainerOptions.AccumulationSteps), 0)]
    public void Options_out_of_range_are_rejected_by_name(string option, int value)
    {
        var options = new TrainerOptions();
        typeof(TrainerOptions).GetProperty(option)!.SetValue(options, value);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TrainingPlan.Create(100, options));
        Assert.That(ex!.ParamName, Is.EqualTo(option));
        Assert.That(ex.Message, Does.Contain($"TrainerOptions.{option}"));
    }

    [Test]
    public void Impossible_plans_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingPlan.Create(100, new TrainerOptions { MaxSteps = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingPlan.Create(0, new TrainerOptions()));
        var ex = Assert.Throws<ArgumentException>(() => TrainingPlan.Create(50, new TrainerOptions { BatchSize = 100, DropLast = true }));
        Assert.That(ex!.Message, Does.Contain("leave no batch"));
    }
}
