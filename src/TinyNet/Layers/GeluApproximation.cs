namespace TinyNet.Layers;

/// <summary>How <see cref="Gelu"/> computes the normal distribution function, as PyTorch's <c>approximate</c> argument.</summary>
public enum GeluApproximation
{
    /// <summary>Exactly: 0.5 x (1 + erf(x / sqrt 2)). PyTorch's default.</summary>
    None,

    /// <summary>The tanh approximation: 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x³))).</summary>
    Tanh,
}
