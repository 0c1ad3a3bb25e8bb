namespace TinyNet.Kernels;

/// <summary>
/// How the blocked path cuts a product for the caches: the micro-kernel's MR x NR tile, the
/// rows of A packed at a time (mc), the columns of a packed block of B (nc), the depth of a
/// packed block (kc), and the order of the two innermost loops. <see cref="GemmPlan.Blocking"/>
/// computes it, and <see cref="GemmDriver{TKernel}"/> runs by it.
/// </summary>
/// <param name="TileRows">MR: the rows of C a micro-kernel call computes.</param>
/// <param name="TileColumns">NR: the columns of C a micro-kernel call computes.</param>
/// <param name="RowBlock">mc: the rows of A packed at a time, a multiple of MR.</param>
/// <param name="ColumnBlock">nc: the columns of a packed block of B, a multiple of NR.</param>
/// <param name="DepthBlock">kc: the steps of k in a packed block.</param>
/// <param name="StreamsB">True when loop 1 keeps A's micro-panel in L1 and streams B's micro-panels from L2.</param>
internal readonly record struct GemmBlocking(int TileRows, int TileColumns, int RowBlock, int ColumnBlock, int DepthBlock, bool StreamsB);
