namespace TinyNet.Kernels;

/// <summary>The logistic sigmoid 1 / (1 + e^-x).</summary>
internal readonly struct SigmoidOperator : IUnaryOperator
{
    public TVector Invoke<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        SimdMath.Sigmoid<TSimd, TVector>(x);
}
