namespace TinyNet.Kernels;

/// <summary>An A panel whose steps of k are adjacent (step = 1): a plain A read in place.</summary>
internal readonly struct AdjacentSteps : IPanelLayout
{
    public static bool RowsAdjacent => false;
}
