namespace TinyNet.Kernels;

/// <summary>
/// Which of the two strides of a micro-kernel's A panel is 1, as a type, so that the JIT
/// compiles the kernel's loop once for each case with that stride a constant. Element (i, p) of
/// the panel is at a[i * rowStride + p * step], and either the rows are adjacent (rowStride = 1:
/// A packed, or a transposed A read in place) or the steps of k are (step = 1: a plain A read in
/// place). See <see cref="PanelRows"/>.
/// </summary>
internal interface IPanelLayout
{
    /// <summary>True when the rows are adjacent (rowStride = 1); otherwise the steps are (step = 1).</summary>
    static abstract bool RowsAdjacent { get; }
}
