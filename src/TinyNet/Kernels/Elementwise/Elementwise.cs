using System.Runtime.CompilerServices;

namespace TinyNet.Kernels;

/// <summary>
/// The one driver of the element-wise kernels: it checks lengths, runs the operator over the
/// widest vectors the hardware accelerates, and finishes the remainder one element at a time
/// with the same operator. The remainder is not done with an overlapping last vector: the
/// destination may be one of the inputs, and recomputing an element in place would apply the
/// operator twice.
/// </summary>
internal static unsafe class Elementwise
{
    /// <summary>destination[i] = op(x[i]).</summary>
    public static void Map<TOperator>(in TOperator op, ReadOnlySpan<float> x, Span<float> destination)
        where TOperator : struct, IUnaryOperator
    {
        CheckLength(x.Length, destination.Length, nameof(destination));
        fixed (float* px = x)
        fixed (float* pd = destination)
        {
            int length = x.Length;
            int done = Vector512Simd.IsSupported ? Map<TOperator, Vector512Simd, System.Runtime.Intrinsics.Vector512<float>>(op, px, pd, length)
                : Vector256Simd.IsSupported ? Map<TOperator, Vector256Simd, System.Runtime.Intrinsics.Vector256<float>>(op, px, pd, length)
                : Vector128Simd.IsSupported ? Map<TOperator, Vector128Simd, System.Runtime.Intrinsics.Vector128<float>>(op, px, pd, length)
                : 0;
            for (int i = done; i < length; i++)
            {
                pd[i] = op.Invoke<ScalarSimd, float>(px[i]);
            }
        }
    }

    /// <summary>destination[i] = op(x[i], y[i]).</summary>
    public static void Map<TOperator>(in TOperator op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOperator : struct, IBinaryOperator
    {
        CheckLength(x.Length, y.Length, nameof(y));
        CheckLength(x.Length, destination.Length, nameof(destination));
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pd = destination)
        {
            int length = x.Length;
            int done = Vector512Simd.IsSupported ? Map<TOperator, Vector512Simd, System.Runtime.Intrinsics.Vector512<float>>(op, px, py, pd, length)
                : Vector256Simd.IsSupported ? Map<TOperator, Vector256Simd, System.Runtime.Intrinsics.Vector256<float>>(op, px, py, pd, length)
                : Vector128Simd.IsSupported ? Map<TOperator, Vector128Simd, System.Runtime.Intrinsics.Vector128<float>>(op, px, py, pd, length)
                : 0;
            for (int i = done; i < length; i++)
            {
                pd[i] = op.Invoke<ScalarSimd, float>(px[i], py[i]);
            }
        }
    }

    /// <summary>The whole vectors of a unary map; returns how many elements it did.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Map<TOperator, TSimd, TVector>(in TOperator op, float* x, float* destination, int length)
        where TOperator : struct, IUnaryOperator
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        int width = TSimd.Width;
        int i = 0;
        for (; i <= length - width; i += width)
        {
            TSimd.Store(op.Invoke<TSimd, TVector>(TSimd.Load(x + i)), destination + i);
        }

        return i;
    }

    /// <summary>The whole vectors of a binary map; returns how many elements it did.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Map<TOperator, TSimd, TVector>(in TOperator op, float* x, float* y, float* destination, int length)
        where TOperator : struct, IBinaryOperator
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        int width = TSimd.Width;
        int i = 0;
        for (; i <= length - width; i += width)
        {
            TSimd.Store(op.Invoke<TSimd, TVector>(TSimd.Load(x + i), TSimd.Load(y + i)), destination + i);
        }

        return i;
    }

    private static void CheckLength(int expected, int actual, string argument)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{argument} has {actual} elements; it must have {expected}, as many as x.", argument);
        }
    }
}
