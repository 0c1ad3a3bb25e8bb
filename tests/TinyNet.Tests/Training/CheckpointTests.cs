using TinyNet.Data;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Optimizers;
using TinyNet.Training;
using TinyNet.Training.Callbacks;

namespace TinyNet.Tests.Training;

[TestFixture]
public sealed class CheckpointTests : TemporaryFolder
{
    private const int TotalSteps = 20;
    private static readonly Dataset s_data = TrainingSetup.Regression(50, seed: 8);
    /// <summary>K steps straight equal k steps, a checkpoint, a new trainer that loads it, and K - k more: bitwise.</summary>
    [TestCase(1)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(6)]
    [TestCase(13)]
    public void A_resumed_run_is_bitwise_the_run_straight_through(int k)
    {
        (Sequential straight, Trainer straightTrainer) = Make(seed: 1, maxSteps: TotalSteps);
        TrainingResult reference = straightTrainer.Fit(s_data);

        (_, Trainer first) = Make(seed: 1, maxSteps: k);
        first.Fit(s_data);
        string path = Path.Combine(Folder, "run.safetensors");
        first.SaveCheckpoint(path);

        (Sequential resumed, Trainer second) = Make(seed: 99, maxSteps: TotalSteps);
        second.LoadCheckpoint(path);
        TrainingResult result = second.Fit(s_data);

        Assert.That(TrainingSetup.Weights(resumed), Is.EqualTo(TrainingSetup.Weights(straight)).AsCollection, $"resumed after step {k}");
        Assert.That((result.StepsCompleted, result.IterationsCompleted), Is.EqualTo((reference.StepsCompleted, reference.IterationsCompleted)));
        Assert.That(result.History.Steps.Select(s => s.Loss), Is.EqualTo(reference.History.Steps.Select(s => s.Loss)).AsCollection, "the history continues");
    }

    [Test]
    public void A_checkpoint_saved_at_an_epoch_end_resumes_at_the_next_epoch()
    {
        (Sequential straight, Trainer straightTrainer) = Make(seed: 1, maxSteps: TotalSteps);
        straightTrainer.Fit(s_data);

        (_, Trainer first) = Make(seed: 1, maxSteps: 8);
        var checkpoint = new Checkpoint(first, Path.Combine(Folder, "epochs"), everyEpoch: true, keepLast: 5);
        first.Callbacks.Add(checkpoint);
        first.Fit(s_data);
        Assert.That(checkpoint.Kept.Select(Path.GetFileName), Is.EqualTo(new[] { "step-00000004.safetensors", "step-00000008.safetensors" }).AsCollection);

        (Sequential resumed, Trainer second) = Make(seed: 42, maxSteps: TotalSteps);
        second.LoadCheckpoint(checkpoint.Kept.Last());
        TrainingResult result = second.Fit(s_data);
        Assert.That(TrainingSetup.Weights(resumed), Is.EqualTo(TrainingSetup.Weights(straight)).AsCollection);
        Assert.That(result.History.Epochs.Select(e => e.Epoch), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }).AsCollection, "no epoch twice");
        Assert.That(result.EpochsCompleted, Is.EqualTo(5));
    }

    [Test]
    public void Loading_checks_the_plan_fingerprint()
    {
        (_, Trainer first) = Make(seed: 1, maxSteps: 5);
        first.Fit(s_data);
        string path = Path.Combine(Folder, "run.safetensors");
        first.SaveCheckpoint(path);

        var model = Model(2);
        var other = new Trainer(model, new MeanSquaredError(), new Adam(model.Parameters), new TrainerOptions { BatchSize = 9, Seed = 5, AccumulationSteps = 2 });
        var ex = Assert.Throws<InvalidOperationException>(() => other.LoadCheckpoint(path));
        Assert.That(ex!.Message, Does.Contain("BatchSize was 8, is 9"));

        (_, Trainer same) = Make(seed: 3, maxSteps: 10);
        same.LoadCheckpoint(path);
        ex = Assert.Throws<InvalidOperationException>(() => same.Fit(TrainingSetup.Regression(60)));
        Assert.That(ex!.Message, Does.Contain("samples was 50, is 60"));
    }

    [Test]
    public void A_checkpoint_mid_window_is_refused()
    {
        (_, Trainer trainer) = Make(seed: 1, maxSteps: 10);
        string path = Path.Combine(Folder, "mid.safetensors");
        trainer.Callbacks.Add(new SaveAtIteration(trainer, path, iteration: 3));
        var ex = Assert.Throws<InvalidOperationException>(() => trainer.Fit(s_data));
        Assert.That(ex!.InnerException!.Message, Does.Contain("step boundaries"));
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void A_checkpoint_into_another_model_fails_and_changes_nothing()
    {
        (_, Trainer first) = Make(seed: 1, maxSteps: 5);
        first.Fit(s_data);
        string path = Path.Combine(Folder, "run.safetensors");
        first.SaveCheckpoint(path);

        var model = new Sequential(new Linear(3, 5, seed: 1), new Linear(5, 2, seed: 2));
        var optimizer = new Adam(model.Parameters);
        var trainer = new Trainer(model, new MeanSquaredError(), optimizer, Options(10));
        float[] before = TrainingSetup.Weights(model);
        var ex = Assert.Throws<InvalidDataException>(() => trainer.LoadCheckpoint(path));
        Assert.That(ex!.Message, Does.Contain("'model.0.weight' is [8, 3] in the file but [5, 3] here"));
        Assert.That(TrainingSetup.Weights(model), Is.EqualTo(before).AsCollection);
        Assert.That(optimizer.StepCount, Is.Zero);
    }

    [Test]
    public void Thousands_of_damaged_checkpoints_load_identically_or_throw_InvalidDataException()
    {
        (Sequential source, Trainer first) = Make(seed: 1, maxSteps: 5);
        first.Fit(s_data);
        string good = Path.Combine(Folder, "good.safetensors");
        first.SaveCheckpoint(good);
        byte[] original = File.ReadAllBytes(good);
        float[] weights = TrainingSetup.Weights(source);
        var random = new Random(2024);
        string path = Path.Combine(Folder, "fuzz.safetensors");
        int loaded = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] bytes = Mutate(original, random);
            File.WriteAllBytes(path, bytes);
            (Sequential model, Trainer trainer) = Make(seed: 7, maxSteps: 10);
            float[] before = TrainingSetup.Weights(model);
            try
            {
                trainer.LoadCheckpoint(path);
                loaded++;
                Assert.That(TrainingSetup.Weights(model), Is.EqualTo(weights).AsCollection, $"trial {trial} loaded different content");
            }
            catch (InvalidDataException)
            {
                Assert.That(TrainingSetup.Weights(model), Is.EqualTo(before).AsCollection, $"trial {trial} changed the model before failing");
            }
        }

        Assert.That(loaded, Is.LessThan(2000), "the mutations do damage");
    }

    [Test]
    public void The_Checkpoint_callback_keeps_the_last_files_and_the_best()
    {
        (_, Trainer trainer) = Make(seed: 1, maxSteps: 12);
        var checkpoint = new Checkpoint(trainer, Path.Combine(Folder, "checkpoints"), everySteps: 3, everyEpoch: false, keepLast: 2, best: MonitoredValue.TrainLoss);
        trainer.Callbacks.Add(checkpoint);
        trainer.Fit(s_data);
        Assert.That(checkpoint.Kept.Select(Path.GetFileName), Is.EqualTo(new[] { "step-00000009.safetensors", "step-00000012.safetensors" }).AsCollection);
        Assert.That(Directory.GetFiles(checkpoint.Directory).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "best.safetensors", "step-00000009.safetensors", "step-00000012.safetensors" }).AsCollection);

        (_, Trainer resumed) = Make(seed: 5, maxSteps: 20);
        resumed.LoadCheckpoint(checkpoint.Kept.Last());
        Assert.That(resumed.Fit(s_data).StepsCompleted, Is.EqualTo(20));
    }

    [Test]
    public void EarlyStopping_state_travels_with_the_checkpoint()
    {
        (Sequential model, Trainer first) = Make(seed: 1, maxSteps: 12);
        var early = new EarlyStopping(MonitoredValue.TrainLoss, patience: 50);
        first.Callbacks.Add(early);
        first.Fit(s_data);
        string path = Path.Combine(Folder, "early.safetensors");
        first.SaveCheckpoint(path);

        (_, Trainer second) = Make(seed: 2, maxSteps: 12);
        var restored = new EarlyStopping(MonitoredValue.TrainLoss, patience: 50);
        second.Callbacks.Add(restored);
        second.LoadCheckpoint(path);
        Assert.That((restored.BestEpoch, restored.BestValue), Is.EqualTo((early.BestEpoch, early.BestValue)));
    }

    private static TrainerOptions Options(long maxSteps) => new()
    {
        BatchSize = 8,
        AccumulationSteps = 2,
        Epochs = 10,
        Seed = 5,
        MaxSteps = maxSteps,
        Schedule = new CosineAnnealingSchedule(0.02f, TotalSteps),
    };

    private static Sequential Model(int seed) =>
        new(new Linear(3, 8, seed: seed), new ReLU(), new Dropout(0.2f, seed: seed + 1), new Linear(8, 2, seed: seed + 2));

    private static (Sequential Model, Trainer Trainer) Make(int seed, long maxSteps)
    {
        Sequential model = Model(seed);
        return (model, new Trainer(model, new MeanSquaredError(), new Adam(model.Parameters, 0.01f), Options(maxSteps)));
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        switch (random.Next(5))
        {
            case 0:
                bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                break;
            case 2:
                bytes.RemoveRange(random.Next(bytes.Count), bytes.Count - random.Next(bytes.Count) > 0 ? 1 : 0);
                bytes.RemoveRange(random.Next(bytes.Count), 1);
                break;
            case 3:
                return original[..random.Next(original.Length)];
            default:
                bytes.Insert(random.Next(bytes.Count), (byte)random.Next(256));
                break;
        }

        return [.. bytes];
    }

    private sealed class SaveAtIteration(Trainer trainer, string path, long iteration) : TrainingCallback
    {
        public override void OnIterationEnd(TrainingContext context)
        {
            if (context.Iteration == iteration)
            {
                trainer.SaveCheckpoint(path);
            }
        }
    }
}
