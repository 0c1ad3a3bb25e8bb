namespace TinyNet.Kernels;

/// <summary>
/// A register-blocked GEMM micro-kernel: it multiplies one micro-panel of A
/// (<see cref="Rows"/> x kc) by one micro-panel of B (kc x <see cref="Columns"/>) and writes the
/// <see cref="Rows"/> x <see cref="Columns"/> tile of C. At each step of k it broadcasts
/// <see cref="Rows"/> floats of A, one per row, wherever they are, and loads <see cref="Columns"/>
/// adjacent floats of B: the layout packing produces, and the one a plain B already has in place.
/// </summary>
/// <remarks>
/// <see cref="Run{TLayout, TAlpha}"/>, like every kernel loop over vectors, is marked
/// <see cref="System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization"/>: the
/// tiered JIT's first version of such a loop calls each vector operation instead of inlining it
/// and runs about 25 times slower, and on a busy machine the optimized version was seen to take
/// longer than a whole benchmark to replace it.
/// </remarks>
internal unsafe interface IMicroKernel
{
    /// <summary>MR: the rows of C one call computes.</summary>
    static abstract int Rows { get; }

    /// <summary>NR: the columns of C one call computes.</summary>
    static abstract int Columns { get; }

    /// <summary>The floats in one of the kernel's vectors (16 on AVX-512), which tells the caches of the cores that run it.</summary>
    static abstract int Width { get; }

    /// <summary>True when the hardware runs this kernel natively.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>
    /// C = alpha * A * B + beta * C on one tile. Each element is summed over p = 0..kc-1 in
    /// order with fused multiply-adds, then written as <c>alpha * sum</c> (beta = 0, C not read)
    /// or <c>fma(beta, C, alpha * sum)</c>.
    /// </summary>
    /// <typeparam name="TLayout">Which of <paramref name="aRowStride"/> and <paramref name="aStep"/> is 1; the other is not read.</typeparam>
    /// <typeparam name="TAlpha">Whether <paramref name="alpha"/> is 1 (<see cref="AlphaOne"/>), so the sums are written without a multiply.</typeparam>
    /// <param name="kc">The depth of the panels.</param>
    /// <param name="a">The A micro-panel: element (i, p) at a[i * aRowStride + p * aStep].</param>
    /// <param name="aRowStride">The distance between rows of the panel: 1 when packed or read in place from a transposed A (<see cref="AdjacentRows"/>), the stored row length when read in place from a plain A (<see cref="AdjacentSteps"/>).</param>
    /// <param name="aStep">The distance between steps of k in A: <see cref="Rows"/> when packed, the stored row length of a transposed A read in place, 1 for a plain A read in place.</param>
    /// <param name="b">The B micro-panel: element (p, j) at b[p * bStep + j].</param>
    /// <param name="bStep">The distance between steps of k in B: <see cref="Columns"/> when packed, the stored row length when B is read in place.</param>
    /// <param name="c">The tile's first element; element (i, j) at c[i * ldc + j].</param>
    /// <param name="ldc">The distance between rows of the tile in C.</param>
    /// <param name="alpha">The scale of the product.</param>
    /// <param name="beta">The scale of C's old value; 0 means C is not read.</param>
    static abstract void Run<TLayout, TAlpha>(int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
        where TLayout : struct, IPanelLayout
        where TAlpha : struct, IAlphaScale;

    /// <summary>
    /// <see cref="Run{TLayout, TAlpha}"/> on the tile's first <see cref="Width"/> columns only,
    /// for a last column tile no wider than one vector (<see cref="HalfTile{TOps, TVector, TKernel}"/>);
    /// the same sums, bitwise. A kernel one vector wide runs its whole tile.
    /// </summary>
    static abstract void RunHalf<TLayout, TAlpha>(int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
        where TLayout : struct, IPanelLayout
        where TAlpha : struct, IAlphaScale;

    /// <summary>
    /// The most rows a last row tile may have for <see cref="RunFewRows{TAlpha}"/> to compute it
    /// (<see cref="FewRowsTile{TOps, TVector}"/>); 0 when the kernel has no such tile and runs
    /// whole on a zero-padded copy of the last rows instead.
    /// </summary>
    static virtual int FewRows => 0;

    /// <summary>
    /// <see cref="Run{TLayout, TAlpha}"/> on the tile's first <paramref name="rows"/> rows only,
    /// 1 to <see cref="FewRows"/>, read from A's panel in either layout and never past them; the
    /// same sums, bitwise.
    /// </summary>
    static virtual void RunFewRows<TAlpha>(int rows, int kc, float* a, nint aRowStride, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
        where TAlpha : struct, IAlphaScale =>
        throw new NotSupportedException("This kernel computes no tile of fewer rows: FewRows is 0.");
}
