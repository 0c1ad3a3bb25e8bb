namespace TinyNet.Kernels;

/// <summary>Any alpha: a tile is written as alpha times its sums.</summary>
internal readonly struct AnyAlpha : IAlphaScale
{
    public static bool IsOne => false;
}
