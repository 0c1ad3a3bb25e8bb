using System.Runtime.CompilerServices;

namespace TinyNet.Kernels;

/// <summary>
/// The strides of a micro-kernel's A panel for its layout. With adjacent rows, row i is a[i]: a
/// constant displacement, no register. Otherwise the rows go in groups of four, each from one
/// base pointer with an index of 0, rowStride, 2 rowStride or 3 rowStride: the x86 addressing
/// mode [base + index * 4], so a row stride costs no instruction in the loop. The kernels keep
/// the strides in plain locals: held in a struct, the JIT kept them in memory and reloaded them
/// for every row.
/// </summary>
internal static unsafe class PanelRows
{
    /// <summary>
    /// The panel's row stride and its multiples by 2, 3 and 4 (1, 2, 3, 4 when the rows are
    /// adjacent), and the distance between steps of k (1 when the steps are adjacent).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (nint Stride, nint Stride2, nint Stride3, nint Stride4, nint Step) Strides<TLayout>(nint rowStride, nint step)
        where TLayout : struct, IPanelLayout
    {
        nint stride = TLayout.RowsAdjacent ? 1 : rowStride;
        return (stride, 2 * stride, 3 * stride, 4 * stride, TLayout.RowsAdjacent ? step : 1);
    }
}
