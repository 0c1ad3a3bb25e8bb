namespace TinyNet.Kernels;

/// <summary>
/// What a thin path's compiled copy of its loop is for, as types (<see cref="ThinTiles{TPath}"/>):
/// how many columns of C (1 to 3), and whether the tile has all its rows.
/// </summary>
internal static class ThinShapes
{
    /// <summary>How many columns of C a compiled copy of the loop computes.</summary>
    public interface IColumns
    {
        /// <summary>The columns.</summary>
        static abstract int Count { get; }
    }

    /// <summary>Whether a compiled copy of the loop is for a whole tile.</summary>
    public interface ITileRows
    {
        /// <summary>True for a tile with all its rows: no mask on any load.</summary>
        static abstract bool IsWhole { get; }
    }

    /// <summary>A tile with all its rows.</summary>
    public readonly struct WholeTile : ITileRows
    {
        public static bool IsWhole => true;
    }

    /// <summary>The last tile, past the end of C.</summary>
    public readonly struct EdgeTile : ITileRows
    {
        public static bool IsWhole => false;
    }

    /// <summary>One column.</summary>
    public readonly struct One : IColumns
    {
        public static int Count => 1;
    }

    /// <summary>Two columns.</summary>
    public readonly struct Two : IColumns
    {
        public static int Count => 2;
    }

    /// <summary>Three columns.</summary>
    public readonly struct Three : IColumns
    {
        public static int Count => 3;
    }
}
