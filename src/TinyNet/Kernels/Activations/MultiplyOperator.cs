namespace TinyNet.Kernels;

/// <summary>x * y.</summary>
internal readonly struct MultiplyOperator : IBinaryOperator
{
    public TVector Invoke<TSimd, TVector>(TVector x, TVector y)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.Multiply(x, y);
}
