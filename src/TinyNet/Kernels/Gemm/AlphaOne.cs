namespace TinyNet.Kernels;

/// <summary>alpha = 1: a tile is written as its sums, without a multiply.</summary>
internal readonly struct AlphaOne : IAlphaScale
{
    public static bool IsOne => true;
}
