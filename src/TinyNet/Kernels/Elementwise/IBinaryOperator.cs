namespace TinyNet.Kernels;

/// <summary>An element-wise function z = f(x, y), written once for every vector width.</summary>
internal interface IBinaryOperator
{
    /// <summary>Applies the function to one pair of vectors.</summary>
    TVector Invoke<TSimd, TVector>(TVector x, TVector y)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct;
}
