namespace TinyNet.Kernels;

/// <summary>
/// The handful of vector operations a GEMM micro-kernel needs, for one vector width. The
/// micro-kernels are generic over this interface; implemented by structs, every call is
/// specialised and inlined by the JIT, so one kernel source serves every width.
/// </summary>
/// <typeparam name="TVector">The vector type: <see cref="System.Runtime.Intrinsics.Vector512{T}"/> and narrower, or <see cref="float"/> itself.</typeparam>
internal unsafe interface IGemmVector<TVector>
    where TVector : struct
{
    /// <summary>The number of floats in one vector.</summary>
    static abstract int Width { get; }

    /// <summary>True when this width is accelerated by the hardware, fused multiply-add included.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>A vector of zeros.</summary>
    static abstract TVector Zero { get; }

    /// <summary>Loads <see cref="Width"/> floats from <paramref name="source"/>.</summary>
    static abstract TVector Load(float* source);

    /// <summary>Stores <see cref="Width"/> floats to <paramref name="destination"/>.</summary>
    static abstract void Store(TVector value, float* destination);

    /// <summary>A vector with every element equal to <paramref name="value"/>.</summary>
    static abstract TVector Broadcast(float value);

    /// <summary>Element-wise <paramref name="left"/> * <paramref name="right"/>.</summary>
    static abstract TVector Multiply(TVector left, TVector right);

    /// <summary>Element-wise <paramref name="left"/> * <paramref name="right"/> + <paramref name="addend"/>, rounded once.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);
}
