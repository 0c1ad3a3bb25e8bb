namespace TinyNet.Kernels;

/// <summary>tanh's backward from its output: y * (1 - t²), with x = t the output and y the gradient of the output.</summary>
internal readonly struct TanhGradientOperator : IBinaryOperator
{
    public TVector Invoke<TSimd, TVector>(TVector x, TVector y)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.Multiply(y, TSimd.Subtract(TSimd.Broadcast(1f), TSimd.Multiply(x, x)));
}
