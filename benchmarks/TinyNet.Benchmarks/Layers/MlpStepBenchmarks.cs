using BenchmarkDotNet.Attributes;
using TinyNet.Kernels;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Optimizers;

namespace TinyNet.Benchmarks.Layers;

/// <summary>
/// One training step of the MLP 784-512-256-10 at batch 128 (forward, loss, backward, Adam,
/// ZeroGrad) against the same step's GEMM calls alone, with the same shapes and flags. The
/// ratio is the cost of everything that is not a matrix multiply; the Allocated column is the
/// garbage a step makes (0 is the aim).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Layers")]
public class MlpStepBenchmarks
{
    private static readonly int[] s_widths = [784, 512, 256, 10];

    private Sequential _model = null!;
    private SoftmaxCrossEntropy _loss = null!;
    private Adam _optimizer = null!;
    private Tensor _input = null!;
    private Tensor _labels = null!;
    private float[][] _activations = [];
    private float[][] _weights = [];
    private float[][] _gradients = [];

    [Params(128)]
    public int Batch { get; set; }

    [ParamsSource(typeof(BenchmarkSettings), nameof(BenchmarkSettings.ThreadCounts))]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        KernelOptions.MaxDegreeOfParallelism = Threads;
        _model = new Sequential(new Linear(784, 512, seed: 1), new ReLU(), new Linear(512, 256, seed: 2), new ReLU(), new Linear(256, 10, seed: 3));
        _model.RequiresInputGradient = false;
        _loss = new SoftmaxCrossEntropy();
        _optimizer = new Adam(_model.Parameters);
        var random = new Random(4);
        _input = new Tensor(Batch, 784);
        foreach (ref float value in _input.AsSpan())
        {
            value = random.NextSingle();
        }

        _labels = new Tensor(Batch);
        foreach (ref float value in _labels.AsSpan())
        {
            value = random.Next(10);
        }

        _activations = s_widths.Select(w => new float[Batch * w]).ToArray();
        _weights = s_widths.Skip(1).Select((w, i) => new float[w * s_widths[i]]).ToArray();
        _gradients = s_widths.Select(w => new float[Batch * w]).ToArray();
        TrainingStep();
    }

    [Benchmark(Baseline = true)]
    public void GemmsOnly()
    {
        // Per layer: forward A*Bᵀ, dW = dYᵀ X, and dX = dY W for all but the first layer.
        for (int layer = 0; layer < 3; layer++)
        {
            int inWidth = s_widths[layer];
            int outWidth = s_widths[layer + 1];
            Gemm.Multiply(_activations[layer], _weights[layer], _activations[layer + 1], Batch, outWidth, inWidth, transposeB: true, beta: 1f);
            Gemm.Multiply(_gradients[layer + 1], _activations[layer], _weights[layer], outWidth, inWidth, Batch, transposeA: true, beta: 1f);
            if (layer > 0)
            {
                Gemm.Multiply(_gradients[layer + 1], _weights[layer], _gradients[layer], Batch, inWidth, outWidth);
            }
        }
    }

    [Benchmark]
    public float TrainingStep()
    {
        Tensor logits = _model.Forward(_input);
        float loss = _loss.Forward(logits, _labels);
        _model.Backward(_loss.Backward());
        _optimizer.Step();
        _optimizer.ZeroGrad();
        return loss;
    }
}
