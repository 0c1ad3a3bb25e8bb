namespace TinyNet.Kernels;

/// <summary>One vector width's tile for <see cref="ThinTiles{TPath}"/>: <see cref="TileRows"/> rows of C.</summary>
internal interface IThinPath
{
    /// <summary>Rows of C per tile.</summary>
    static abstract int TileRows { get; }

    /// <summary>
    /// Adds alpha times the sums over steps [pc, pc + kc) of rows [row, row + rows) of C to C by
    /// the micro-kernels' rule, with <paramref name="beta"/> (the product's for the first block
    /// of k, 1 for later ones).
    /// </summary>
    static abstract void Tile<TColumns, TTile>(in GemmArguments args, int row, int rows, int pc, int kc, float beta)
        where TColumns : struct, ThinShapes.IColumns
        where TTile : struct, ThinShapes.ITileRows;
}
