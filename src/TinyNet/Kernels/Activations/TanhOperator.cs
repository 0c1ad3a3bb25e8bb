namespace TinyNet.Kernels;

/// <summary>The hyperbolic tangent.</summary>
internal readonly struct TanhOperator : IUnaryOperator
{
    public TVector Invoke<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        SimdMath.Tanh<TSimd, TVector>(x);
}
