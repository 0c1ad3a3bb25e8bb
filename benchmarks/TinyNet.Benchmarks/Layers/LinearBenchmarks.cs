using BenchmarkDotNet.Attributes;
using TinyNet.Layers;

namespace TinyNet.Benchmarks.Layers;

/// <summary>Linear forward + backward at the MLP shapes, batch 128.</summary>
[MemoryDiagnoser]
[BenchmarkCategory("Layers")]
public class LinearBenchmarks
{
    private Linear _layer = null!;
    private Tensor _input = null!;
    private Tensor _gradient = null!;

    [Params("784->512", "512->256", "256->10")]
    public string Shape { get; set; } = "784->512";

    [GlobalSetup]
    public void Setup()
    {
        int[] sizes = Shape.Split("->").Select(int.Parse).ToArray();
        _layer = new Linear(sizes[0], sizes[1], seed: 1);
        var random = new Random(2);
        _input = new Tensor(128, sizes[0]);
        foreach (ref float value in _input.AsSpan())
        {
            value = random.NextSingle();
        }

        _gradient = new Tensor(128, sizes[1]);
        foreach (ref float value in _gradient.AsSpan())
        {
            value = random.NextSingle() - 0.5f;
        }

        ForwardBackward();
    }

    [Benchmark]
    public Tensor ForwardBackward()
    {
        _layer.Forward(_input);
        return _layer.Backward(_gradient);
    }
}
