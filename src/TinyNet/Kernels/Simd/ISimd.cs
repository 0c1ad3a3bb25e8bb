namespace TinyNet.Kernels;

/// <summary>
/// The vector operations TinyNet's kernels are written in, for one vector width. Kernels are
/// generic over this interface; implemented by structs, every call is specialised and inlined
/// by the JIT, so one kernel source serves Vector512, Vector256, Vector128 and plain floats.
/// Comparisons return masks: all bits set where true (for <see cref="float"/>, any non-zero).
/// </summary>
/// <typeparam name="TVector">The vector type: <see cref="System.Runtime.Intrinsics.Vector512{T}"/> and narrower, or <see cref="float"/> itself.</typeparam>
internal unsafe interface ISimd<TVector>
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

    /// <summary>Element-wise <paramref name="left"/> + <paramref name="right"/>.</summary>
    static abstract TVector Add(TVector left, TVector right);

    /// <summary>Element-wise <paramref name="left"/> - <paramref name="right"/>.</summary>
    static abstract TVector Subtract(TVector left, TVector right);

    /// <summary>Element-wise <paramref name="left"/> * <paramref name="right"/>.</summary>
    static abstract TVector Multiply(TVector left, TVector right);

    /// <summary>Element-wise <paramref name="left"/> / <paramref name="right"/>.</summary>
    static abstract TVector Divide(TVector left, TVector right);

    /// <summary>Element-wise <paramref name="left"/> * <paramref name="right"/> + <paramref name="addend"/>, rounded once.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

    /// <summary>Element-wise square root.</summary>
    static abstract TVector Sqrt(TVector value);

    /// <summary>Element-wise e^x.</summary>
    static abstract TVector Exp(TVector value);

    /// <summary>Element-wise absolute value.</summary>
    static abstract TVector Abs(TVector value);

    /// <summary>Element-wise maximum.</summary>
    static abstract TVector Max(TVector left, TVector right);

    /// <summary>Mask of <paramref name="left"/> &gt; <paramref name="right"/>.</summary>
    static abstract TVector GreaterThan(TVector left, TVector right);

    /// <summary>Mask of <paramref name="left"/> &lt; <paramref name="right"/>.</summary>
    static abstract TVector LessThan(TVector left, TVector right);

    /// <summary>Where <paramref name="mask"/> is set, <paramref name="whenTrue"/>; elsewhere <paramref name="whenFalse"/>.</summary>
    static abstract TVector Select(TVector mask, TVector whenTrue, TVector whenFalse);

    /// <summary>The sum of the elements.</summary>
    static abstract float Sum(TVector value);

    /// <summary>The largest element.</summary>
    static abstract float MaxAcross(TVector value);
}
