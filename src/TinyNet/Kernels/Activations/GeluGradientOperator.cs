namespace TinyNet.Kernels;

/// <summary>
/// GELU's backward (x is the layer's input, y the gradient of its output): exact,
/// y (Phi(x) + x phi(x)); with the tanh approximation, y (0.5 (1 + t) + 0.5 x (1 - t²) u'),
/// t = tanh(u), u = sqrt(2 / pi) (x + 0.044715 x³), u' = sqrt(2 / pi) (1 + 3 * 0.044715 x²).
/// </summary>
internal readonly struct GeluGradientOperator : IBinaryOperator
{
    private readonly bool _tanhApproximation;

    public GeluGradientOperator(bool tanhApproximation) => _tanhApproximation = tanhApproximation;

    public TVector Invoke<TSimd, TVector>(TVector x, TVector y)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        TVector half = TSimd.Broadcast(0.5f);
        TVector one = TSimd.Broadcast(1f);
        TVector derivative;
        if (_tanhApproximation)
        {
            TVector t = SimdMath.Tanh<TSimd, TVector>(GeluOperator.TanhArgument<TSimd, TVector>(x));
            TVector square = TSimd.Multiply(x, x);
            TVector slope = TSimd.Multiply(
                TSimd.Broadcast(GeluOperator.SqrtTwoOverPi),
                TSimd.MultiplyAdd(TSimd.Broadcast(3f * GeluOperator.CubicCoefficient), square, one));
            TVector sech2 = TSimd.Subtract(one, TSimd.Multiply(t, t));
            derivative = TSimd.MultiplyAdd(
                TSimd.Multiply(half, x), TSimd.Multiply(sech2, slope), TSimd.Multiply(half, TSimd.Add(one, t)));
        }
        else
        {
            TVector cdf = TSimd.Multiply(
                half, TSimd.Add(one, SimdMath.Erf<TSimd, TVector>(TSimd.Multiply(x, TSimd.Broadcast(GeluOperator.InverseSqrtTwo)))));
            derivative = TSimd.MultiplyAdd(x, SimdMath.NormalDensity<TSimd, TVector>(x), cdf);
        }

        return TSimd.Multiply(y, derivative);
    }
}
