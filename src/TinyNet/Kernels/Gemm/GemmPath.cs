namespace TinyNet.Kernels;

/// <summary>
/// The ways a product can be computed, one per entry of the dispatch in <see cref="Gemm"/>;
/// <see cref="GemmPlan.ChoosePath"/> picks one. docs/gemm.md has the table of when each runs
/// and why it exists.
/// </summary>
internal enum GemmPath
{
    /// <summary>The plain triple loop, <see cref="GemmReference"/>.</summary>
    Reference,

    /// <summary>The blocked path with the 6-row kernel of two vectors (scalar: 6 x 2, Vector128: 6 x 8, Vector256: 6 x 16).</summary>
    Blocked6x2,

    /// <summary>The blocked path with AVX-512's 16 x 16 kernel, for at most one vector of columns.</summary>
    Blocked16x1,

    /// <summary>The blocked path with AVX-512's 8 x 32 kernel: its last resort.</summary>
    Blocked8x2,

    /// <summary>The blocked path with AVX-512's 12 x 32 kernel, where 12-row tiles pad fewer rows than 8-row ones.</summary>
    Blocked12x2,

    /// <summary>A * Bᵀ with few columns, vectorized over pairs of columns and steps of k (<see cref="NarrowGemm"/>, <see cref="NarrowGemm256"/>).</summary>
    Narrow,

    /// <summary>Aᵀ * B with at most 3 columns, vectorized along C's rows (<see cref="ThinGemm"/>, <see cref="ThinGemm256"/>).</summary>
    Thin,

    /// <summary>Short or very narrow A * Bᵀ as dot products of contiguous rows (<see cref="DotProductGemm"/>).</summary>
    DotProduct,

    /// <summary>A * Bᵀ with a large B, computed as Cᵀ = B * Aᵀ (<see cref="TransposedGemm"/>).</summary>
    Transposed,
}
