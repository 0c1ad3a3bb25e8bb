namespace TinyNet.Kernels;

/// <summary>
/// A register-blocked GEMM micro-kernel: it multiplies one packed micro-panel of A
/// (<see cref="Rows"/> x kc) by one packed micro-panel of B (kc x <see cref="Columns"/>) and
/// writes the <see cref="Rows"/> x <see cref="Columns"/> tile of C.
/// </summary>
internal unsafe interface IMicroKernel
{
    /// <summary>MR: the rows of C one call computes.</summary>
    static abstract int Rows { get; }

    /// <summary>NR: the columns of C one call computes.</summary>
    static abstract int Columns { get; }

    /// <summary>True when the hardware runs this kernel natively.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>
    /// C = alpha * A * B + beta * C on one tile. Each element is summed over p = 0..kc-1 in
    /// order with fused multiply-adds, then written as <c>alpha * sum</c> (beta = 0, C not read)
    /// or <c>fma(beta, C, alpha * sum)</c>.
    /// </summary>
    /// <param name="kc">The depth of the panels.</param>
    /// <param name="a">The packed A micro-panel: kc groups of <see cref="Rows"/> floats, element (i, p) at a[p * Rows + i].</param>
    /// <param name="b">The packed B micro-panel: kc groups of <see cref="Columns"/> floats, element (p, j) at b[p * Columns + j].</param>
    /// <param name="c">The tile's first element; element (i, j) at c[i * ldc + j].</param>
    /// <param name="ldc">The distance between rows of the tile in C.</param>
    /// <param name="alpha">The scale of the product.</param>
    /// <param name="beta">The scale of C's old value; 0 means C is not read.</param>
    static abstract void Run(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta);
}
