using TinyNet.Data;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Optimizers;
using TinyNet.Training;
using TinyNet.Training.Callbacks;

namespace TinyNet.Tests.Training;

[TestFixture]
public sealed class TrainerTests
{
    [Test]
    public void The_worked_example_fires_hooks_exactly_as_planned()
    {
        var recorder = new HookRecorder();
        Trainer trainer = TrainingSetup.Trainer(TrainingSetup.Model(), new TrainerOptions { BatchSize = 100, Epochs = 3 });
        trainer.Callbacks.Add(recorder);
        TrainingResult result = trainer.Fit(TrainingSetup.Regression(1500));

        Assert.That(recorder.Count("EpochBegin"), Is.EqualTo(3));
        Assert.That(recorder.Count("IterationEnd"), Is.EqualTo(45));
        Assert.That(recorder.Count("StepEnd"), Is.EqualTo(45));
        foreach (int epoch in new[] { 1, 2, 3 })
        {
            Assert.That(
                recorder.Records.Where(r => r.Hook == "IterationEnd" && r.Epoch == epoch).Select(r => r.Batch),
                Is.EqualTo(Enumerable.Range(1, 15)).AsCollection);
        }

        var end = recorder.Records[^1];
        Assert.That((end.Hook, end.Iteration, end.Step), Is.EqualTo(("TrainEnd", 45L, 45L)));
        Assert.That(recorder.Records[0], Is.EqualTo(("TrainBegin", 0, 0, 0L, 0L, 0)), "all counters are 0 at TrainBegin");
        Assert.That((result.StopReason, result.EpochsCompleted, result.IterationsCompleted, result.StepsCompleted), Is.EqualTo((StopReason.Completed, 3, 45L, 45L)));
    }

    [Test]
    public void With_accumulation_4_steps_close_windows_of_4_4_4_3()
    {
        var recorder = new HookRecorder();
        Trainer trainer = TrainingSetup.Trainer(TrainingSetup.Model(), new TrainerOptions { BatchSize = 100, Epochs = 3, AccumulationSteps = 4 });
        trainer.Callbacks.Add(recorder);
        TrainingResult result = trainer.Fit(TrainingSetup.Regression(1500));

        Assert.That(recorder.Count("StepEnd"), Is.EqualTo(12));
        Assert.That(
            recorder.Records.Where(r => r.Hook == "StepEnd" && r.Epoch == 2).Select(r => (r.Batch, r.Step)),
            Is.EqualTo(new[] { (4, 5L), (8, 6L), (12, 7L), (15, 8L) }).AsCollection);
        Assert.That((result.IterationsCompleted, result.StepsCompleted), Is.EqualTo((45L, 12L)));
    }

    [Test]
    public void The_hooks_fire_in_order()
    {
        var recorder = new HookRecorder();
        Trainer trainer = TrainingSetup.Trainer(TrainingSetup.Model(), new TrainerOptions { BatchSize = 2, Epochs = 1, AccumulationSteps = 2 });
        trainer.Callbacks.Add(recorder);
        trainer.Fit(TrainingSetup.Regression(5), TrainingSetup.Regression(3, seed: 9));
        Assert.That(recorder.Events, Is.EqualTo(new[]
        {
            "TrainBegin", "EpochBegin",
            "IterationBegin", "IterationEnd",
            "IterationBegin", "IterationEnd", "StepBegin", "StepEnd",
            "IterationBegin", "IterationEnd", "StepBegin", "StepEnd",
            "EpochEnd", "TrainEnd",
        }).AsCollection);
        Assert.That(recorder.Records.Where(r => r.Hook == "IterationBegin").Select(r => r.BatchSize), Is.EqualTo(new[] { 2, 2, 1 }).AsCollection);
    }

    [Test]
    [Repeat(1)]
    public void Random_plans_and_recorded_hooks_agree()
    {
        var random = new Random(1234);
        for (int trial = 0; trial < 60; trial++)
        {
            int samples = random.Next(1, 60);
            var options = new TrainerOptions
            {
                BatchSize = random.Next(1, 20),
                Epochs = random.Next(1, 4),
                AccumulationSteps = random.Next(1, 5),
                DropLast = random.Next(2) == 0,
                MaxSteps = random.Next(3) == 0 ? random.Next(1, 12) : null,
                Seed = trial,
            };
            if (options.DropLast && samples < options.BatchSize)
            {
                options.DropLast = false;
            }

            Trainer trainer = TrainingSetup.Trainer(TrainingSetup.Model(), options);
            TrainingPlan plan = trainer.Plan(samples);
            var recorder = new HookRecorder();
            trainer.Callbacks.Add(recorder);
            TrainingResult result = trainer.Fit(TrainingSetup.Regression(samples, seed: trial));
            string what = $"trial {trial}: {plan}";

            Assert.That(recorder.Count("IterationEnd"), Is.EqualTo(plan.TotalIterations), what);
            Assert.That(recorder.Count("StepEnd"), Is.EqualTo(plan.TotalSteps), what);
            Assert.That(recorder.Count("EpochBegin"), Is.EqualTo(plan.EpochsStarted), what);
            Assert.That(recorder.Count("EpochEnd"), Is.EqualTo(plan.EpochsStarted), what);
            Assert.That((result.IterationsCompleted, result.StepsCompleted), Is.EqualTo((plan.TotalIterations, plan.TotalSteps)), what);
            Assert.That(result.StopReason, Is.EqualTo(plan.Limit == PlanLimit.MaxSteps ? StopReason.MaxSteps : StopReason.Completed), what);
            foreach (var step in recorder.Records.Where(r => r.Hook == "StepEnd"))
            {
                Assert.That(step.Batch, Is.EqualTo(plan.WindowOf(step.Batch).Last), $"{what}: steps close windows");
            }

            foreach (var iteration in recorder.Records.Where(r => r.Hook == "IterationBegin"))
            {
                Assert.That(iteration.BatchSize, Is.EqualTo(plan.BatchSizeOf(iteration.Batch)), what);
                Assert.That(iteration.Iteration, Is.EqualTo(((long)(iteration.Epoch - 1) * plan.IterationsPerEpoch) + iteration.Batch), what);
            }
        }
    }

    [TestCase("sgd")]
    [TestCase("adam")]
    public void Batch_50_with_accumulation_2_equals_batch_100_with_none(string optimizer)
    {
        Func<IEnumerable<Parameter>, Optimizer> make = optimizer == "sgd" ? p => new Sgd(p, 0.1f, momentum: 0.9f) : p => new Adam(p, 0.01f);
        Dataset data = TrainingSetup.Regression(300);
        Sequential small = TrainingSetup.Model(seed: 5);
        Sequential large = TrainingSetup.Model(seed: 5);
        TrainingSetup.Trainer(small, new TrainerOptions { BatchSize = 50, AccumulationSteps = 2, Epochs = 2, Shuffle = false }, make).Fit(data);
        TrainingSetup.Trainer(large, new TrainerOptions { BatchSize = 100, Epochs = 2, Shuffle = false }, make).Fit(data);
        Assert.That(TrainingSetup.Weights(small), Is.EqualTo(TrainingSetup.Weights(large)).Within(1e-5f).AsCollection);
    }

    [Test]
    public void A_short_window_is_weighted_by_samples_not_batches()
    {
        // 5 samples, batch 2, accumulation 4: one window of 2 + 2 + 1 samples, equal to one batch of 5.
        Dataset data = TrainingSetup.Regression(5);
        Sequential accumulated = TrainingSetup.Model(seed: 2);
        Sequential whole = TrainingSetup.Model(seed: 2);
        TrainingSetup.Trainer(accumulated, new TrainerOptions { BatchSize = 2, AccumulationSteps = 4, Shuffle = false }).Fit(data);
        TrainingSetup.Trainer(whole, new TrainerOptions { BatchSize = 5, Shuffle = false }).Fit(data);
        Assert.That(TrainingSetup.Weights(accumulated), Is.EqualTo(TrainingSetup.Weights(whole)).Within(1e-6f).AsCollection);
    }

    [Test]
    public void The_same_seed_gives_bitwise_the_same_weights_and_another_seed_does_not()
    {
        float[] Run(int seed)
        {
            Sequential model = TrainingSetup.Model(seed: 3);
            TrainingSetup.Trainer(model, new TrainerOptions { BatchSize = 16, Epochs = 3, Seed = seed }).Fit(TrainingSetup.Regression(100));
            return TrainingSetup.Weights(model);
        }

        float[] first = Run(7);
        Assert.That(Run(7), Is.EqualTo(first).AsCollection);
        Assert.That(Run(8), Is.Not.EqualTo(first).AsCollection);
    }

    [Test]
    public void Every_sample_is_seen_exactly_once_per_epoch_in_a_new_order()
    {
        // The inputs hold their own sample index; a pass-through layer in front records them.
        const int count = 37;
        var inputs = new Tensor(count, 3);
        for (int i = 0; i < count; i++)
        {
            inputs.AsSpan()[i * 3] = i;
        }

        var seen = new SampleRecorder();
        var model = new Sequential(seen, new Linear(3, 2, seed: 1));
        TrainingSetup.Trainer(model, new TrainerOptions { BatchSize = 5, Epochs = 3, Seed = 11 }, p => new Sgd(p, 0f))
            .Fit(new Dataset(inputs, new Tensor(count, 2)));
        Assert.That(seen.Samples, Has.Count.EqualTo(3 * count));
        for (int epoch = 0; epoch < 3; epoch++)
        {
            Assert.That(seen.Samples.Skip(epoch * count).Take(count).Order(), Is.EqualTo(Enumerable.Range(0, count)).AsCollection);
        }

        Assert.That(seen.Samples.Take(count), Is.Not.EqualTo(seen.Samples.Skip(count).Take(count)).AsCollection, "epochs differ in order");
        Assert.That(seen.Samples.Take(count), Is.Not.EqualTo(Enumerable.Range(0, count)).AsCollection, "shuffled");
    }

    [Test]
    public void Without_shuffling_the_order_is_the_datasets()
    {
        const int count = 10;
        var inputs = new Tensor(count, 3);
        for (int i = 0; i < count; i++)
        {
            inputs.AsSpan()[i * 3] = i;
        }

        var seen = new SampleRecorder();
        TrainingSetup.Trainer(new Sequential(seen, new Linear(3, 2)), new TrainerOptions { BatchSize = 4, Shuffle = false }, p => new Sgd(p, 0f))
            .Fit(new Dataset(inputs, new Tensor(count, 2)));
        Assert.That(seen.Samples, Is.EqualTo(Enumerable.Range(0, count)).AsCollection);
    }

    [Test]
    public void A_callback_can_stop_training_and_its_reason_is_kept()
    {
        Trainer trainer = TrainingSetup.Trainer(TrainingSetup.Model(), new TrainerOptions { BatchSize = 10, Epochs = 5 });
        trainer.Callbacks.Add(new StopAtEpochEnd(2));
        TrainingResult result = trainer.Fit(TrainingSetup.Regression(100));
        Assert.That((result.StopReason, result.StopMessage, result.EpochsCompleted, result.StepsCompleted), Is.EqualTo((StopReason.StoppedByCallback, "enough", 2, 20L)));
    }

    [Test]
    public void Cancellation_stops_between_iterations_and_TrainEnd_still_fires()
    {
        using var cancellation = new CancellationTokenSource();
        var recorder = new HookRecorder();
        Trainer trainer = TrainingSetup.Trainer(TrainingSetup.Model(), new TrainerOptions { BatchSize = 10, Epochs = 5 });
        trainer.Callbacks.Add(new CancelAtStep(cancellation, 13));
        trainer.Callbacks.Add(recorder);
        TrainingResult result = trainer.Fit(TrainingSetup.Regression(100), cancellationToken: cancellation.Token);
        Assert.That((result.StopReason, result.StepsCompleted, result.IterationsCompleted), Is.EqualTo((StopReason.Cancelled, 13L, 13L)));
        Assert.That(recorder.Events[^1], Is.EqualTo("TrainEnd"));
    }

    [Test]
    public void MaxSteps_stops_exactly_at_that_step_mid_epoch()
    {
        Trainer trainer = TrainingSetup.Trainer(TrainingSetup.Model(), new TrainerOptions { BatchSize = 10, Epochs = 5, MaxSteps = 23 });
        TrainingResult result = trainer.Fit(TrainingSetup.Regression(100));
        Assert.That((result.StopReason, result.StepsCompleted, result.IterationsCompleted, result.EpochsCompleted), Is.EqualTo((StopReason.MaxSteps, 23L, 23L, 2)));
    }

    [Test]
    public void A_non_finite_loss_stops_training_and_its_update_is_not_applied()
    {
        Dataset data = TrainingSetup.Regression(40);
        data.Inputs.AsSpan()[3 * 25] = float.NaN; // sample 25 lands in batch 3 (samples 20..29) without shuffling.
        Sequential model = TrainingSetup.Model();
        Trainer trainer = TrainingSetup.Trainer(model, new TrainerOptions { BatchSize = 10, Shuffle = false });
        var weightsAfterStep2 = new WeightsAtStep(2);
        trainer.Callbacks.Add(new TerminateOnNonFiniteLoss());
        trainer.Callbacks.Add(weightsAfterStep2);
        TrainingResult result = trainer.Fit(data);
        Assert.That(result.StopReason, Is.EqualTo(StopReason.NonFiniteLoss));
        Assert.That(result.StopMessage, Does.Contain("iteration 3"));
        Assert.That(result.StepsCompleted, Is.EqualTo(2));
        Assert.That(TrainingSetup.Weights(model), Is.EqualTo(weightsAfterStep2.Weights).AsCollection);
        Assert.That(TrainingSetup.Weights(model), Is.All.Matches<float>(float.IsFinite));
    }

    [Test]
    public void EarlyStopping_stops_and_restores_the_best_weights()
    {
        // A learning rate far too high makes the validation loss worse after the first epoch.
        Sequential model = TrainingSetup.Model();
        Trainer trainer = TrainingSetup.Trainer(model, new TrainerOptions { BatchSize = 10, Epochs = 30 }, p => new Sgd(p, 0.02f));
        var early = new EarlyStopping(MonitoredValue.ValidationLoss, patience: 2);
        var best = new WeightsAtBestEpoch(early);
        trainer.Callbacks.Add(early);
        trainer.Callbacks.Add(best);
        Dataset validation = TrainingSetup.Regression(50, seed: 77);
        TrainingResult result = trainer.Fit(TrainingSetup.Regression(100), validation);
        if (result.StopReason == StopReason.StoppedByCallback)
        {
            Assert.That(result.EpochsCompleted, Is.EqualTo(early.BestEpoch + 2));
        }

        Assert.That(early.BestEpoch, Is.GreaterThan(0));
        Assert.That(TrainingSetup.Weights(model), Is.EqualTo(best.Weights).AsCollection, "the best epoch's weights are back");
        float bestLoss = result.History.Epochs.Min(e => e.ValidationLoss!.Value);
        Assert.That(early.BestValue, Is.EqualTo(bestLoss));
    }

    [Test]
    public void EarlyStopping_with_patience_stops_when_nothing_improves()
    {
        Sequential model = TrainingSetup.Model();
        Trainer trainer = TrainingSetup.Trainer(model, new TrainerOptions { BatchSize = 10, Epochs = 30 }, p => new Sgd(p, 0f));
        var early = new EarlyStopping(MonitoredValue.TrainLoss, patience: 3, minDelta: 1f);
        trainer.Callbacks.Add(early);
        TrainingResult result = trainer.Fit(TrainingSetup.Regression(100));
        Assert.That((result.StopReason, result.EpochsCompleted), Is.EqualTo((StopReason.StoppedByCallback, 4)));
        Assert.That(result.StopMessage, Does.Contain("has not improved for 3 epochs"));
    }

    [Test]
    public void An_exception_in_a_callback_names_the_hook_and_the_position()
    {
        Trainer trainer = TrainingSetup.Trainer(TrainingSetup.Model(), new TrainerOptions { BatchSize = 10, Epochs = 2 });
        trainer.Callbacks.Add(new ThrowAtStep(12));
        var ex = Assert.Throws<InvalidOperationException>(() => trainer.Fit(TrainingSetup.Regression(100)));
        Assert.That(ex!.Message, Does.Contain("ThrowAtStep.OnStepEnd").And.Contain("epoch 2, batch 2, iteration 12, step 12").And.Contain("boom"));
        Assert.That(ex.InnerException, Is.TypeOf<FormatException>());
    }

    [Test]
    public void History_records_epochs_and_steps_and_validation()
    {
        Trainer trainer = TrainingSetup.Trainer(TrainingSetup.Model(), new TrainerOptions { BatchSize = 25, Epochs = 3, Schedule = new StepDecaySchedule(0.1f, 4, 0.5f) });
        TrainingResult result = trainer.Fit(TrainingSetup.Regression(100), TrainingSetup.Regression(20, seed: 5));
        Assert.That(result.History.Epochs.Select(e => e.Epoch), Is.EqualTo(new[] { 1, 2, 3 }).AsCollection);
        Assert.That(result.History.Epochs.Select(e => e.Steps), Is.EqualTo(new[] { 4L, 8L, 12L }).AsCollection);
        Assert.That(result.History.Epochs, Is.All.Matches<EpochRecord>(e => e.ValidationLoss is > 0f && e.TrainAccuracy is null));
        Assert.That(result.History.Steps.Select(s => s.LearningRate), Is.EqualTo(new[] { 0.1f, 0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.05f, 0.05f, 0.025f, 0.025f, 0.025f, 0.025f }).AsCollection);
    }

    [Test]
    public void The_steady_state_allocates_nothing_per_iteration()
    {
        // 200 samples in batches of 16: 13 iterations per epoch, the last one short; 40 epochs.
        var meter = new AllocationMeter(fromIteration: 50, toIteration: 450);
        var model = new Sequential(new Linear(20, 32), new ReLU(), new Linear(32, 4));
        var trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.Parameters), new TrainerOptions { BatchSize = 16, Epochs = 40 });
        trainer.Callbacks.Add(meter);
        var labels = new Tensor(200);
        for (int i = 0; i < 200; i++)
        {
            labels.AsSpan()[i] = i % 4;
        }

        trainer.Fit(new Dataset(TestData.Random(1, 1f, 200, 20), labels));
        Assert.That(meter.Bytes, Is.Zero, "bytes allocated between iteration 50 and 450, History included");
    }

    [Test]
    public void Two_spirals_are_learned_to_at_least_97_percent()
    {
        (Dataset train, Dataset validation) = SyntheticData.Spirals(500, noise: 0.02f, seed: 1).Split(0.2f, seed: 2);
        var model = new Sequential(new Linear(2, 64, seed: 1), new Tanh(), new Linear(64, 64, seed: 2), new Tanh(), new Linear(64, 2, seed: 3));
        var trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.Parameters, 0.01f), new TrainerOptions { BatchSize = 32, Epochs = 150, Seed = 3 });
        TrainingResult result = trainer.Fit(train, validation);
        float accuracy = result.History.Epochs[^1].ValidationAccuracy!.Value;
        Assert.That(accuracy, Is.GreaterThanOrEqualTo(0.97f), result.ToString());
    }

    [Test]
    public void A_smooth_regression_reaches_a_low_error()
    {
        (Dataset train, Dataset validation) = SyntheticData.Regression(600, noise: 0.02f, seed: 1).Split(0.2f, seed: 2);
        var model = new Sequential(new Linear(1, 32, seed: 1), new Tanh(), new Linear(32, 32, seed: 2), new Tanh(), new Linear(32, 1, seed: 3));
        var trainer = new Trainer(model, new MeanSquaredError(), new Adam(model.Parameters, 0.01f), new TrainerOptions { BatchSize = 32, Epochs = 100 });
        TrainingResult result = trainer.Fit(train, validation);
        Assert.That(result.History.Epochs[^1].ValidationLoss, Is.LessThan(0.005f), "noise alone is 0.0004");
    }

    /// <summary>Passes its input through and records each sample's first feature.</summary>
    private sealed class SampleRecorder : Layer
    {
        public List<int> Samples { get; } = [];

        public override Tensor Forward(Tensor input)
        {
            // Only training batches count: the trainer's shape check before training runs one sample in evaluation mode.
            for (int i = 0; IsTraining && i < input.Dimension(0); i++)
            {
                Samples.Add((int)input.AsSpan()[i * input.Dimension(1)]);
            }

            return input;
        }

        public override Tensor Backward(Tensor gradOutput) => gradOutput;
    }

    private sealed class StopAtEpochEnd(int epoch) : TrainingCallback
    {
        public override void OnEpochEnd(TrainingContext context)
        {
            if (context.Epoch == epoch)
            {
                context.StopTraining("enough");
            }
        }
    }

    private sealed class CancelAtStep(CancellationTokenSource source, long step) : TrainingCallback
    {
        public override void OnStepEnd(TrainingContext context)
        {
            if (context.Step == step)
            {
                source.Cancel();
            }
        }
    }

    private sealed class ThrowAtStep(long step) : TrainingCallback
    {
        public override void OnStepEnd(TrainingContext context)
        {
            if (context.Step == step)
            {
                throw new FormatException("boom");
            }
        }
    }

    private sealed class WeightsAtStep(long step) : TrainingCallback
    {
        public float[] Weights { get; private set; } = [];

        public override void OnStepEnd(TrainingContext context)
        {
            if (context.Step == step)
            {
                Weights = TrainingSetup.Weights(context.Model);
            }
        }
    }

    /// <summary>Copies the weights whenever the EarlyStopping before it records a new best epoch.</summary>
    private sealed class WeightsAtBestEpoch(EarlyStopping early) : TrainingCallback
    {
        public float[] Weights { get; private set; } = [];

        public override void OnEpochEnd(TrainingContext context)
        {
            if (early.BestEpoch == context.Epoch)
            {
                Weights = TrainingSetup.Weights(context.Model);
            }
        }
    }

    private sealed class AllocationMeter(long fromIteration, long toIteration) : TrainingCallback
    {
        private long _start;

        public long Bytes { get; private set; } = -1;

        public override void OnIterationBegin(TrainingContext context)
        {
            if (context.Iteration == fromIteration)
            {
                _start = GC.GetAllocatedBytesForCurrentThread();
            }
            else if (context.Iteration == toIteration)
            {
                Bytes = GC.GetAllocatedBytesForCurrentThread() - _start;
            }
        }
    }
}
