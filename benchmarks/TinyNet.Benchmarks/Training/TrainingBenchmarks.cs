using BenchmarkDotNet.Attributes;
using TinyNet.Data;
using TinyNet.Kernels;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Optimizers;
using TinyNet.Training;

namespace TinyNet.Benchmarks.Training;

/// <summary>
/// Training throughput: one epoch of <see cref="Trainer.Fit"/> over <see cref="SamplesPerCall"/>
/// samples (shuffle, gather, forward, loss, backward, Adam), for the MLP 784-512-256-10 and the
/// small 2-64-64-2; the samples/s column divides by the median time.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Training")]
public class TrainingBenchmarks
{
    /// <summary>Samples in the training set: one call is one epoch over them.</summary>
    public const int SamplesPerCall = 4096;

    private Trainer _trainer = null!;
    private Dataset _data = null!;

    [Params("784-512-256-10", "2-64-64-2")]
    public string Model { get; set; } = "784-512-256-10";

    [Params(32, 128, 512)]
    public int Batch { get; set; } = 128;

    [ParamsSource(typeof(BenchmarkSettings), nameof(BenchmarkSettings.ThreadCounts))]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        KernelOptions.MaxDegreeOfParallelism = Threads;
        int[] widths = Model.Split('-').Select(int.Parse).ToArray();
        var layers = new List<Layer>();
        for (int i = 0; i < widths.Length - 1; i++)
        {
            layers.Add(new Linear(widths[i], widths[i + 1], seed: i + 1));
            if (i < widths.Length - 2)
            {
                layers.Add(new ReLU());
            }
        }

        var model = new Sequential([.. layers]);
        var random = new Random(7);
        var inputs = new Tensor(SamplesPerCall, widths[0]);
        foreach (ref float value in inputs.AsSpan())
        {
            value = random.NextSingle();
        }

        var labels = new Tensor(SamplesPerCall);
        foreach (ref float value in labels.AsSpan())
        {
            value = random.Next(widths[^1]);
        }

        _data = new Dataset(inputs, labels);
        _trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.Parameters), new TrainerOptions { BatchSize = Batch, Epochs = 1 });
        _trainer.Fit(_data);
    }

    [Benchmark]
    public long OneEpoch() => _trainer.Fit(_data).StepsCompleted;
}
