using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TinyNet;

/// <summary>
/// The storage of a tensor: an array and the index of its first element, which sits on a
/// 64-byte boundary (a cache line, an AVX-512 vector) so that a kernel's full-width loads along
/// a row never straddle two cache lines (a split load costs two; the dot-product GEMM reads
/// operands in place and runs 1.5x faster on aligned rows). Storage of at least one vector is
/// allocated pinned, so the garbage collector never moves it off the boundary; smaller storage
/// is a plain array.
/// </summary>
internal readonly struct TensorStorage
{
    /// <summary>The alignment of the first element, in bytes.</summary>
    public const int Alignment = 64;

    private const int AlignmentFloats = Alignment / sizeof(float);

    private TensorStorage(float[] array, int offset, int length)
    {
        Array = array;
        Offset = offset;
        Length = length;
    }

    /// <summary>The array that holds the elements.</summary>
    public float[] Array { get; }

    /// <summary>The index of the first element in <see cref="Array"/>.</summary>
    public int Offset { get; }

    /// <summary>How many elements the storage holds from <see cref="Offset"/>.</summary>
    public int Length { get; }

    /// <summary>Storage for <paramref name="length"/> elements, all zero.</summary>
    public static TensorStorage Allocate(int length) =>
        length < AlignmentFloats ? new TensorStorage(length == 0 ? [] : new float[length], 0, length) : AllocatePinned(length);

    /// <summary>
    /// Storage for <paramref name="length"/> elements, all zero, pinned and aligned whatever its
    /// length, so a pointer to its first element stays valid (the kernels' packing buffers).
    /// </summary>
    public static unsafe TensorStorage AllocatePinned(int length)
    {
        // The array's elements are at least 4-byte aligned, so a boundary lies within the first 16.
        float[] array = GC.AllocateArray<float>(length + AlignmentFloats - 1, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        int offset = (int)((Alignment - (address & (Alignment - 1))) & (Alignment - 1)) / sizeof(float);
        return new TensorStorage(array, offset, length);
    }

    /// <summary>The first <paramref name="length"/> elements.</summary>
    public Span<float> AsSpan(int length) => Array.AsSpan(Offset, length);
}
