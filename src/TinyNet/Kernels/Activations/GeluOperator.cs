namespace TinyNet.Kernels;

/// <summary>
/// GELU, x * Phi(x): exact, 0.5 x (1 + erf(x / sqrt 2)), as PyTorch's default; or the tanh
/// approximation 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x³))).
/// </summary>
internal readonly struct GeluOperator : IUnaryOperator
{
    internal const float InverseSqrtTwo = 0.70710678118654752f;
    internal const float SqrtTwoOverPi = 0.79788456080286536f;
    internal const float CubicCoefficient = 0.044715f;

    private readonly bool _tanhApproximation;

    public GeluOperator(bool tanhApproximation) => _tanhApproximation = tanhApproximation;

    public TVector Invoke<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        TVector half = TSimd.Broadcast(0.5f);
        TVector one = TSimd.Broadcast(1f);
        TVector shape = _tanhApproximation
            ? SimdMath.Tanh<TSimd, TVector>(TanhArgument<TSimd, TVector>(x))
            : SimdMath.Erf<TSimd, TVector>(TSimd.Multiply(x, TSimd.Broadcast(InverseSqrtTwo)));
        return TSimd.Multiply(TSimd.Multiply(half, x), TSimd.Add(one, shape));
    }

    /// <summary>sqrt(2 / pi) (x + 0.044715 x³).</summary>
    internal static TVector TanhArgument<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        TVector cube = TSimd.Multiply(TSimd.Multiply(x, x), x);
        return TSimd.Multiply(TSimd.Broadcast(SqrtTwoOverPi), TSimd.MultiplyAdd(TSimd.Broadcast(CubicCoefficient), cube, x));
    }
}
