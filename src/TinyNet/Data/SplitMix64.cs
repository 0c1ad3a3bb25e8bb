namespace TinyNet.Data;

/// <summary>
/// SplitMix64: a tiny, fast, fully specified random generator. TinyNet uses it wherever a
/// sequence must be recomputable from a seed forever (the sample order of an epoch), which
/// System.Random does not promise across versions.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The whole state: saving and restoring it resumes the sequence exactly.</summary>
    public ulong State
    {
        readonly get => _state;
        set => _state = value;
    }

    /// <summary>A generator for one (seed, stream) pair, e.g. (Seed, epoch).</summary>
    public static SplitMix64 For(int seed, long stream)
    {
        var mixer = new SplitMix64(((ulong)(uint)seed << 32) ^ 0x9E3779B97F4A7C15UL);
        ulong first = mixer.Next();
        return new SplitMix64(first ^ ((ulong)stream * 0xD1B54A32D192ED03UL));
    }

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A whole number in [0, bound), without modulo bias (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        ulong product = (ulong)(uint)(Next() >> 32) * (uint)bound;
        uint low = (uint)product;
        if (low < (uint)bound)
        {
            uint threshold = (uint)-bound % (uint)bound;
            while (low < threshold)
            {
                product = (ulong)(uint)(Next() >> 32) * (uint)bound;
                low = (uint)product;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>A double in [0, 1).</summary>
    /// <summary>A float in [0, 1).</summary>
    public float NextSingle() => (Next() >> 40) * (1f / (1 << 24));

    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
