namespace TinyNet.Kernels;

/// <summary>The sigmoid's backward from its output: y * s * (1 - s), with x = s the output and y the gradient of the output.</summary>
internal readonly struct SigmoidGradientOperator : IBinaryOperator
{
    public TVector Invoke<TSimd, TVector>(TVector x, TVector y)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.Multiply(y, TSimd.Multiply(x, TSimd.Subtract(TSimd.Broadcast(1f), x)));
}
