namespace TinyNet.Kernels;

/// <summary>An element-wise function y = f(x), written once for every vector width.</summary>
internal interface IUnaryOperator
{
    /// <summary>Applies the function to one vector.</summary>
    TVector Invoke<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct;
}
