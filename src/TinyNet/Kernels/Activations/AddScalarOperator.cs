namespace TinyNet.Kernels;

/// <summary>x + a constant.</summary>
internal readonly struct AddScalarOperator(float value) : IUnaryOperator
{
    public TVector Invoke<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.Add(x, TSimd.Broadcast(value));
}
