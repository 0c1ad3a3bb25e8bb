using BenchmarkDotNet.Attributes;
using TinyNet.Data;
using TinyNet.Kernels;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Optimizers;
using TinyNet.Training;

namespace TinyNet.Benchmarks.Training;

/// <summary>
/// Training a LeNet-style CNN on 28 x 28 images at batch 64: Conv(1->6, 5) ReLU MaxPool(2)
/// Conv(6->16, 5) ReLU MaxPool(2) Flatten Linear(256->120) ReLU Linear(120->84) ReLU
/// Linear(84->10). <see cref="OneEpoch"/> is one <see cref="Trainer.Fit"/> epoch over
/// <see cref="EpochSamples"/> samples; <see cref="OneStep"/> one step on one batch (forward, loss,
/// backward, Adam, ZeroGrad), whose Allocated column is the garbage a step makes (0 is the aim).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Training")]
public class CnnTrainingBenchmarks
{
    /// <summary>Samples in the training set of <see cref="OneEpoch"/>.</summary>
    public const int EpochSamples = 1024;

    private const int Batch = 64;
    private Trainer _trainer = null!;
    private Dataset _data = null!;
    private Sequential _model = null!;
    private SoftmaxCrossEntropy _loss = null!;
    private Adam _optimizer = null!;
    private Tensor _images = null!;
    private Tensor _labels = null!;

    [ParamsSource(typeof(BenchmarkSettings), nameof(BenchmarkSettings.ThreadCounts))]
    public int Threads { get; set; } = 1;

    /// <summary>The samples one call of a method trains on, for the samples/s column.</summary>
    public static int SamplesOf(string method) => method == nameof(OneStep) ? Batch : EpochSamples;

    /// <summary>The LeNet-style model.</summary>
    public static Sequential LeNet(int seed) => new(
        new Conv2d(1, 6, 5, seed: seed), new ReLU(), new MaxPool2d(2),
        new Conv2d(6, 16, 5, seed: seed + 1), new ReLU(), new MaxPool2d(2),
        new Flatten(),
        new Linear(16 * 4 * 4, 120, seed: seed + 2), new ReLU(),
        new Linear(120, 84, seed: seed + 3), new ReLU(),
        new Linear(84, 10, seed: seed + 4));

    [GlobalSetup]
    public void Setup()
    {
        KernelOptions.MaxDegreeOfParallelism = Threads;
        Dataset shapes = SyntheticData.Shapes(EpochSamples / 4, size: 28, seed: 1);
        _data = shapes;
        Sequential model = LeNet(seed: 1);
        _trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.Parameters), new TrainerOptions { BatchSize = Batch, Epochs = 1 });
        _trainer.Fit(_data);

        _model = LeNet(seed: 2);
        _model.RequiresInputGradient = false;
        _loss = new SoftmaxCrossEntropy();
        _optimizer = new Adam(_model.Parameters);
        _images = Tensor.FromArray(shapes.Inputs.ToArray().AsSpan(0, Batch * 28 * 28).ToArray(), Batch, 1, 28, 28);
        _labels = Tensor.FromArray(shapes.Targets.ToArray().AsSpan(0, Batch).ToArray(), Batch);
        OneStep();
    }

    [Benchmark]
    public long OneEpoch() => _trainer.Fit(_data).StepsCompleted;

    [Benchmark]
    public float OneStep()
    {
        float loss = _loss.Forward(_model.Forward(_images), _labels);
        _model.Backward(_loss.Backward());
        _optimizer.Step();
        _optimizer.ZeroGrad();
        return loss;
    }
}
