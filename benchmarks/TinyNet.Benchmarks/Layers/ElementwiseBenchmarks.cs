using BenchmarkDotNet.Attributes;
using TinyNet.Kernels;

namespace TinyNet.Benchmarks.Layers;

/// <summary>The element-wise kernels against the plain scalar loop a layer would otherwise write, on 1M floats.</summary>
[BenchmarkCategory("Layers")]
public class ElementwiseBenchmarks
{
    private const int Length = 1 << 20;
    private readonly float[] _x = new float[Length];
    private readonly float[] _y = new float[Length];
    private readonly float[] _destination = new float[Length];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (int i = 0; i < Length; i++)
        {
            _x[i] = (random.NextSingle() * 8) - 4;
            _y[i] = random.NextSingle();
        }
    }

    [Benchmark(Baseline = true)]
    public void ReluScalarLoop()
    {
        for (int i = 0; i < Length; i++)
        {
            _destination[i] = MathF.Max(_x[i], 0f);
        }
    }

    [Benchmark]
    public void ReluKernel() => Elementwise.Map(default(ReluOperator), _x, _destination);

    [Benchmark]
    public void ReluBackwardKernel() => Elementwise.Map(default(ReluGradientOperator), _x, _y, _destination);

    [Benchmark]
    public void GeluScalarLoop()
    {
        for (int i = 0; i < Length; i++)
        {
            float x = _x[i];
            float u = 0.7978845608f * (x + (0.044715f * x * x * x));
            _destination[i] = 0.5f * x * (1 + MathF.Tanh(u));
        }
    }

    [Benchmark]
    public void GeluTanhKernel() => Elementwise.Map(new GeluOperator(tanhApproximation: true), _x, _destination);

    [Benchmark]
    public void GeluExactKernel() => Elementwise.Map(new GeluOperator(tanhApproximation: false), _x, _destination);

    [Benchmark]
    public void SigmoidScalarLoop()
    {
        for (int i = 0; i < Length; i++)
        {
            _destination[i] = 1f / (1f + MathF.Exp(-_x[i]));
        }
    }

    [Benchmark]
    public void SigmoidKernel() => Elementwise.Map(default(SigmoidOperator), _x, _destination);
}
