namespace TinyNet.Kernels;

/// <summary>x + y.</summary>
internal readonly struct AddOperator : IBinaryOperator
{
    public TVector Invoke<TSimd, TVector>(TVector x, TVector y)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.Add(x, y);
}
