using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using TinyNet;
using TinyNet.Data;
using TinyNet.Distributed;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Metrics;
using TinyNet.Optimizers;
using TinyNet.Training;

// Trains a small MLP and writes its weights, for the distributed tests:
//   Worker OUT --batch B [--accumulation A] [--samples N] [--epochs E] [--max-steps S]
//          [--save CHECKPOINT] [--resume CHECKPOINT] [--throw-on-rank R] [--steps-file FILE]
//          [--mlp 1] [--threads T] [--metrics 1]
// Under mpirun it trains data-parallel (each rank writes OUT.rankR); alone it trains in one
// process (and writes OUT.rank0). --steps-file has rank R append every step's weights' hash.
// --metrics 1 asks for precision, recall and F1 and has every rank write each epoch's training
// metrics to OUT.metrics.rankR.
// --mlp 1 trains the 784-512-256-10 MLP on 4096 random samples instead and reports samples/s
// and the time spent summing across ranks per step: the data-parallel benchmark.
var options = new Dictionary<string, string>();
for (int i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

int Option(string name, int fallback) => options.TryGetValue(name, out string? value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

MpiGroup? group = MpiGroup.IsLaunchedByMpirun ? new MpiGroup() : null;
try
{
    int rank = group?.Rank ?? 0;
    bool mlp = Option("--mlp", 0) == 1;
    if (options.ContainsKey("--threads"))
    {
        TinyNet.Kernels.KernelOptions.MaxDegreeOfParallelism = Option("--threads", 1);
    }

    TimedGroup? timed = group is null ? null : new TimedGroup(group);
    Dataset data = mlp ? RandomImages(4096) : SyntheticData.Blobs(Option("--samples", 90) / 3, classes: 3, seed: 5);
    Sequential model = mlp
        ? new Sequential(new Linear(784, 512, seed: 1), new ReLU(), new Linear(512, 256, seed: 2), new ReLU(), new Linear(256, 10, seed: 3))
        : new Sequential(new Linear(2, 16, seed: 1), new Tanh(), new Linear(16, 16, seed: 2), new ReLU(), new Linear(16, 3, seed: 3));
    var trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.Parameters, 0.01f), new TrainerOptions
    {
        BatchSize = Option("--batch", 8),
        AccumulationSteps = Option("--accumulation", 1),
        Epochs = Option("--epochs", 3),
        MaxSteps = options.ContainsKey("--max-steps") ? Option("--max-steps", 1) : null,
        Seed = 11,
        DataParallel = timed,
        Metrics = Option("--metrics", 0) == 1 ? [MetricNames.Precision, MetricNames.Recall, MetricNames.F1] : [],
    });
    if (Option("--metrics", 0) == 1)
    {
        trainer.Callbacks.Add(new EpochMetrics(args[0] + ".metrics.rank" + rank.ToString(CultureInfo.InvariantCulture)));
    }

    if (options.TryGetValue("--steps-file", out string? stepsFile))
    {
        trainer.Callbacks.Add(new StepHashes(model, stepsFile + ".rank" + rank.ToString(CultureInfo.InvariantCulture)));
    }

    if (options.TryGetValue("--throw-on-rank", out string? thrower) && int.Parse(thrower, CultureInfo.InvariantCulture) == rank)
    {
        trainer.Callbacks.Add(new ThrowAtStep(3));
    }

    if (options.TryGetValue("--resume", out string? resume))
    {
        trainer.LoadCheckpoint(resume);
    }

    var clock = Stopwatch.StartNew();
    TrainingResult result = trainer.Fit(data);
    if (options.TryGetValue("--save", out string? save))
    {
        trainer.SaveCheckpoint(save);
    }

    float[] weights = [.. model.Parameters.SelectMany(p => p.Value.ToArray())];
    byte[] bytes = new byte[weights.Length * 4];
    for (int i = 0; i < weights.Length; i++)
    {
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), weights[i]);
    }

    File.WriteAllBytes(args[0] + ".rank" + rank.ToString(CultureInfo.InvariantCulture), bytes);
    Console.WriteLine($"rank {rank}: {result} in {clock.Elapsed.TotalMilliseconds:F0} ms; plan: {trainer.Plan(data.Count)}");
    if (mlp)
    {
        double seconds = clock.Elapsed.TotalSeconds;
        double communication = timed is null ? 0 : timed.Elapsed.TotalMilliseconds / result.StepsCompleted;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rank {rank}: {result.IterationsCompleted * (double)trainer.Plan(data.Count).BatchSize / seconds:N0} samples/s, {seconds * 1000 / result.StepsCompleted:F2} ms per step, {communication:F2} ms of it summing across ranks"));
    }
    return 0;
}
catch (Exception error) when (group is not null)
{
    group.Abort(error.Message);
    return 1;
}
finally
{
    group?.Dispose();
}

static Dataset RandomImages(int count)
{
    var random = new Random(7);
    var inputs = new Tensor(count, 784);
    foreach (ref float value in inputs.AsSpan())
    {
        value = random.NextSingle();
    }

    var labels = new Tensor(count);
    foreach (ref float value in labels.AsSpan())
    {
        value = random.Next(10);
    }

    return new Dataset(inputs, labels);
}

/// <summary>A group that times its sums: the communication of a data-parallel step.</summary>
internal sealed class TimedGroup(DataParallelGroup inner) : DataParallelGroup
{
    private long _ticks;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, _ticks);

    public override int Rank => inner.Rank;

    public override int Size => inner.Size;

    public override void SumInRankOrder(Span<float> values, bool contributes)
    {
        long start = Stopwatch.GetTimestamp();
        inner.SumInRankOrder(values, contributes);
        _ticks += Stopwatch.GetTimestamp() - start;
    }

    public override void SumInRankOrder(Span<double> values)
    {
        long start = Stopwatch.GetTimestamp();
        inner.SumInRankOrder(values);
        _ticks += Stopwatch.GetTimestamp() - start;
    }
}

/// <summary>Appends a hash of the weights after every step, one line per step.</summary>
internal sealed class StepHashes(Layer model, string path) : TrainingCallback
{
    public override void OnStepEnd(TrainingContext context)
    {
        // FNV-1a over the weights' bits: the same in every process (HashCode is seeded per process).
        ulong hash = 14695981039346656037;
        foreach (Parameter parameter in model.Parameters)
        {
            foreach (float value in parameter.Value.AsSpan())
            {
                hash = (hash ^ (uint)BitConverter.SingleToInt32Bits(value)) * 1099511628211;
            }
        }

        File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture, $"{context.Step} {hash:x16}\n"));
    }
}

/// <summary>Appends every epoch's training metrics, one line per epoch, their bits in hexadecimal.</summary>
internal sealed class EpochMetrics(string path) : TrainingCallback
{
    public override void OnEpochEnd(TrainingContext context) =>
        File.AppendAllText(path, string.Join(' ', context.EpochMetrics!.Select(metric => string.Create(CultureInfo.InvariantCulture, $"{metric.Key}={metric.Value} ({BitConverter.SingleToInt32Bits(metric.Value):x8})"))) + "\n");
}

/// <summary>Throws at a step, as a rank whose data or code fails would.</summary>
internal sealed class ThrowAtStep(int step) : TrainingCallback
{
    public override void OnStepEnd(TrainingContext context)
    {
        if (context.Step == step)
        {
            throw new InvalidOperationException($"this rank fails at step {step}");
        }
    }
}
