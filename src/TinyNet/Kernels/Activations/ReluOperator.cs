namespace TinyNet.Kernels;

/// <summary>ReLU: max(x, 0).</summary>
internal readonly struct ReluOperator : IUnaryOperator
{
    public TVector Invoke<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.Max(x, TSimd.Zero);
}
