namespace TinyNet.Kernels;

/// <summary>ReLU's backward: the incoming gradient where x &gt; 0, else 0 (x is the layer's input, y the gradient of its output).</summary>
internal readonly struct ReluGradientOperator : IBinaryOperator
{
    public TVector Invoke<TSimd, TVector>(TVector x, TVector y)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.Select(TSimd.GreaterThan(x, TSimd.Zero), y, TSimd.Zero);
}
