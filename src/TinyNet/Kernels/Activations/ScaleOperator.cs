namespace TinyNet.Kernels;

/// <summary>x * factor.</summary>
internal readonly struct ScaleOperator : IUnaryOperator
{
    private readonly float _factor;

    public ScaleOperator(float factor) => _factor = factor;

    public TVector Invoke<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.Multiply(x, TSimd.Broadcast(_factor));
}
