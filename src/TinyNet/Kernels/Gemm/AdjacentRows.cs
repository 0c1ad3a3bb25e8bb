namespace TinyNet.Kernels;

/// <summary>An A panel whose rows are adjacent (rowStride = 1): A packed, or a transposed A read in place.</summary>
internal readonly struct AdjacentRows : IPanelLayout
{
    public static bool RowsAdjacent => true;
}
