namespace TinyNet.Kernels;

/// <summary>Smooth functions built from the <see cref="ISimd{TVector}"/> operations, for every width.</summary>
internal static class SimdMath
{
    private const float InverseSqrtTwoPi = 0.3989422804014327f;

    /// <summary>1 / (1 + e^-x); e^-x overflows to infinity for very negative x, which gives 0, as it should.</summary>
    public static TVector Sigmoid<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        TVector one = TSimd.Broadcast(1f);
        return TSimd.Divide(one, TSimd.Add(one, TSimd.Exp(TSimd.Subtract(TSimd.Zero, x))));
    }

    /// <summary>tanh(x) = sign(x) (1 - e) / (1 + e) with e = e^(-2|x|), which never overflows.</summary>
    public static TVector Tanh<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        TVector one = TSimd.Broadcast(1f);
        TVector e = TSimd.Exp(TSimd.Multiply(TSimd.Broadcast(-2f), TSimd.Abs(x)));
        TVector magnitude = TSimd.Divide(TSimd.Subtract(one, e), TSimd.Add(one, e));
        return TSimd.Select(TSimd.LessThan(x, TSimd.Zero), TSimd.Subtract(TSimd.Zero, magnitude), magnitude);
    }

    /// <summary>
    /// The error function, by Abramowitz and Stegun's formula 7.1.26 (absolute error below
    /// 1.5e-7, the size of a float's rounding near 1): erf(|x|) = 1 - t(a1 + t(a2 + ...)) e^(-x²)
    /// with t = 1 / (1 + p|x|), and erf(-x) = -erf(x).
    /// </summary>
    public static TVector Erf<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        TVector one = TSimd.Broadcast(1f);
        TVector magnitude = TSimd.Abs(x);
        TVector t = TSimd.Divide(one, TSimd.MultiplyAdd(TSimd.Broadcast(0.3275911f), magnitude, one));
        TVector polynomial = TSimd.Broadcast(1.061405429f);
        polynomial = TSimd.MultiplyAdd(polynomial, t, TSimd.Broadcast(-1.453152027f));
        polynomial = TSimd.MultiplyAdd(polynomial, t, TSimd.Broadcast(1.421413741f));
        polynomial = TSimd.MultiplyAdd(polynomial, t, TSimd.Broadcast(-0.284496736f));
        polynomial = TSimd.MultiplyAdd(polynomial, t, TSimd.Broadcast(0.254829592f));
        polynomial = TSimd.Multiply(polynomial, t);
        TVector gaussian = TSimd.Exp(TSimd.Subtract(TSimd.Zero, TSimd.Multiply(magnitude, magnitude)));
        TVector result = TSimd.Subtract(one, TSimd.Multiply(polynomial, gaussian));
        return TSimd.Select(TSimd.LessThan(x, TSimd.Zero), TSimd.Subtract(TSimd.Zero, result), result);
    }

    /// <summary>The standard normal density e^(-x²/2) / sqrt(2 pi).</summary>
    public static TVector NormalDensity<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.Multiply(
            TSimd.Broadcast(InverseSqrtTwoPi),
            TSimd.Exp(TSimd.Multiply(TSimd.Broadcast(-0.5f), TSimd.Multiply(x, x))));
}
