namespace TinyNet.Kernels;

/// <summary>
/// Whether a product's alpha is 1, as a type, so that the JIT compiles a micro-kernel's write-back
/// once without the multiply by alpha (alpha = 1, what layers ask for: C = sum exactly, as
/// 1 * sum is) and once with it: with a short k loop (the output layer's dX sums 10 steps) the
/// multiplies are a part of a tile's work worth saving.
/// </summary>
internal interface IAlphaScale
{
    /// <summary>True when alpha is 1 and the sums are written unscaled.</summary>
    static abstract bool IsOne { get; }
}
