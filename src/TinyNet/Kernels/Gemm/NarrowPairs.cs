namespace TinyNet.Kernels;

/// <summary>
/// The pairs of columns a narrow path's tile computes in one pass (1 to 5), as types, so that the
/// JIT compiles a tile per count with only the multiply-adds that count needs. One pair comes
/// only from a product of 1 or 2 columns, which only <see cref="NarrowGemm256"/> takes.
/// </summary>
internal static class NarrowPairs
{
    /// <summary>The most pairs of columns one pass over a tile's rows computes.</summary>
    public const int MaxPerPass = 5;

    /// <summary>A count of pairs.</summary>
    public interface ICount
    {
        /// <summary>The pairs.</summary>
        static abstract int Count { get; }
    }

    /// <summary>One pair: 1 or 2 columns.</summary>
    public readonly struct One : ICount
    {
        public static int Count => 1;
    }

    /// <summary>Two pairs: 4 columns.</summary>
    public readonly struct Two : ICount
    {
        public static int Count => 2;
    }

    /// <summary>Three pairs: 6 columns.</summary>
    public readonly struct Three : ICount
    {
        public static int Count => 3;
    }

    /// <summary>Four pairs: 8 columns.</summary>
    public readonly struct Four : ICount
    {
        public static int Count => 4;
    }

    /// <summary>Five pairs: 10 columns.</summary>
    public readonly struct Five : ICount
    {
        public static int Count => 5;
    }
}
