using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TinyNet.Kernels;

/// <summary>
/// One thread's packing buffers, kept for the life of the thread and grown on demand, so a
/// GEMM call in the steady state allocates nothing. The buffers live on the pinned object heap
/// and are handed out 64-byte aligned (one cache line, one AVX-512 vector).
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    private static long s_lastCallId;

    [ThreadStatic]
    private static GemmWorkspace? t_current;

    private TensorStorage _packedA;
    private TensorStorage _packedB;
    private TensorStorage _tile;
    private TensorStorage _sharedA;
    private TensorStorage _sharedB;
    private TensorStorage _transposedC;

    /// <summary>The calling thread's workspace.</summary>
    public static GemmWorkspace Current => t_current ??= new GemmWorkspace();

    /// <summary>A buffer of at least <paramref name="count"/> floats for packed A.</summary>
    public float* PackedA(int count) => Aligned(ref _packedA, count);

    /// <summary>A buffer of at least <paramref name="count"/> floats for packed B.</summary>
    public float* PackedB(int count) => Aligned(ref _packedB, count);

    /// <summary>A buffer of at least <paramref name="count"/> floats for all of A, packed once and read by every thread of a call.</summary>
    public float* SharedA(int count) => Aligned(ref _sharedA, count);

    /// <summary>A buffer of at least <paramref name="count"/> floats for a block of B, packed once and read by every thread of a call.</summary>
    public float* SharedB(int count) => Aligned(ref _sharedB, count);

    /// <summary>
    /// Which block of B the <see cref="PackedB"/> buffer holds for a parallel call that packs
    /// each block once per thread: the call's <see cref="NewCallId"/> and the block's number.
    /// Only that path sets it, and its ids are never reused, so other uses of the buffer cannot
    /// be mistaken for a block.
    /// </summary>
    public (long Call, int Block) BlockInPackedB { get; set; }

    /// <summary>A number no earlier call to this method returned (on any thread), never 0.</summary>
    public static long NewCallId() => Interlocked.Increment(ref s_lastCallId);

    /// <summary>A buffer of at least <paramref name="count"/> floats for Cᵀ, computed in place of C (see <see cref="TransposedGemm"/>).</summary>
    public float* TransposedC(int count) => Aligned(ref _transposedC, count);

    /// <summary>A buffer of at least <paramref name="count"/> floats for one edge tile of C.</summary>
    public float* Tile(int count) => Aligned(ref _tile, count);

    private static float* Aligned(ref TensorStorage buffer, int count)
    {
        if (buffer.Array is null || buffer.Length < count)
        {
            buffer = TensorStorage.AllocatePinned(count);
        }

        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer.Array)) + buffer.Offset;
    }
}
