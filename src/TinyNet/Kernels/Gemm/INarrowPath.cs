namespace TinyNet.Kernels;

/// <summary>
/// One vector width's tile for <see cref="NarrowTiles{TPath}"/>: a vector of packed B holds a pair
/// of columns x <see cref="Width"/> / 2 steps of k, and a tile is <see cref="TileRows"/> rows of C.
/// </summary>
internal unsafe interface INarrowPath
{
    /// <summary>Rows of C per tile.</summary>
    static abstract int TileRows { get; }

    /// <summary>Floats in one packed vector of B: a pair of columns x half as many steps of k.</summary>
    static abstract int Width { get; }

    /// <summary>
    /// Packs B (stored n x k) for the tiles: for each step of <see cref="Width"/> / 2 floats of
    /// k, one vector per pair of columns, zero past k and past n.
    /// </summary>
    /// <param name="args">The product.</param>
    /// <param name="pairs">ceil(n / 2).</param>
    /// <param name="steps">The steps of k, the last one partial when k is not a multiple of a step.</param>
    /// <param name="packed">steps x pairs x <see cref="Width"/> floats.</param>
    static abstract void PackB(in GemmArguments args, int pairs, int steps, float* packed);

    /// <summary>
    /// One pass of a tile: its rows of A against <typeparamref name="TPairs"/> pairs of packed
    /// columns (one pair only where the path takes products of 1 or 2 columns; 2 to 5 otherwise),
    /// over all of k, written to C (<paramref name="scratch"/>: 16 floats for the
    /// edges).
    /// </summary>
    static abstract void Tile<TPairs>(in NarrowPass pass, float* scratch)
        where TPairs : struct, NarrowPairs.ICount;
}
