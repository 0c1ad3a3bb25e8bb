using BenchmarkDotNet.Attributes;
using TinyNet.Kernels;
using TinyNet.Optimizers;

namespace TinyNet.Benchmarks.Optimizers;

/// <summary>One optimizer step over one million parameters, on one thread and on all of them.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Optimizers")]
public class OptimizerBenchmarks
{
    private Sgd _sgd = null!;
    private Adam _adam = null!;
    private AdamW _adamW = null!;

    [ParamsSource(typeof(BenchmarkSettings), nameof(BenchmarkSettings.ThreadCounts))]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        KernelOptions.MaxDegreeOfParallelism = Threads;
        var parameter = new Parameter("w", new Tensor(1 << 20));
        var random = new Random(1);
        foreach (ref float value in parameter.Gradient.AsSpan())
        {
            value = random.NextSingle() - 0.5f;
        }

        _sgd = new Sgd([parameter], 1e-3f, momentum: 0.9f, nesterov: true, weightDecay: 1e-4f);
        _adam = new Adam([parameter]);
        _adamW = new AdamW([parameter]);
    }

    [Benchmark]
    public void SgdNesterovStep() => _sgd.Step();

    [Benchmark]
    public void AdamStep() => _adam.Step();

    [Benchmark]
    public void AdamWStep() => _adamW.Step();
}
