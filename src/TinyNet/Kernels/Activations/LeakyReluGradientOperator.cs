namespace TinyNet.Kernels;

/// <summary>Leaky ReLU's backward: y where x &gt; 0, else slope * y (x is the input, y the gradient of the output).</summary>
internal readonly struct LeakyReluGradientOperator : IBinaryOperator
{
    private readonly float _slope;

    public LeakyReluGradientOperator(float slope) => _slope = slope;

    public TVector Invoke<TSimd, TVector>(TVector x, TVector y)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.Select(TSimd.GreaterThan(x, TSimd.Zero), y, TSimd.Multiply(TSimd.Broadcast(_slope), y));
}
