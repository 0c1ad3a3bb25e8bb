namespace TinyNet.Kernels;

/// <summary>Leaky ReLU: x where x &gt; 0, else slope * x.</summary>
internal readonly struct LeakyReluOperator : IUnaryOperator
{
    private readonly float _slope;

    public LeakyReluOperator(float slope) => _slope = slope;

    public TVector Invoke<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.Select(TSimd.GreaterThan(x, TSimd.Zero), x, TSimd.Multiply(TSimd.Broadcast(_slope), x));
}
