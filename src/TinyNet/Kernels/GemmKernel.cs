namespace TinyNet.Kernels;

/// <summary>The implementations of <see cref="Gemm.Multiply"/> that can be chosen.</summary>
public enum GemmKernel
{
    /// <summary>The plain triple loop: slow, obviously right, kept as the oracle for the others.</summary>
    Reference,

    /// <summary>The blocked, packed algorithm with a scalar micro-kernel: runs everywhere.</summary>
    Scalar,

    /// <summary>The blocked, packed algorithm with a 128-bit SIMD micro-kernel (SSE, NEON).</summary>
    Vector128,

    /// <summary>The blocked, packed algorithm with a 256-bit SIMD micro-kernel (AVX2 with FMA).</summary>
    Vector256,

    /// <summary>The blocked, packed algorithm with a 512-bit SIMD micro-kernel (AVX-512).</summary>
    Vector512,
}
