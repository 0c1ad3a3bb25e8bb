namespace TinyNet.Kernels;

/// <summary>
/// Whether a product's alpha is 1, as a type, so that the JIT compiles a micro-kernel's write-back
/// once without the multiply by alpha (alpha = 1, what layers ask for: C = sum exactly, as
/// 1 * sum is) and once with it. With a short k loop the multiplies are a part of a tile's work
/// worth saving: without them the output layer's dX (128x10 * 10x256, 10 steps of k) ran
/// 1.00-1.04x as fast and n = 64 1.02x (interleaved, one thread); n = 1024 tied.
/// </summary>
internal interface IAlphaScale
{
    /// <summary>True when alpha is 1 and the sums are written unscaled.</summary>
    static abstract bool IsOne { get; }
}
