namespace TinyNet.Data;

/// <summary>
/// The order in which an epoch visits the samples: a permutation derived from (seed, epoch)
/// alone, so any epoch's order can be recomputed (on resume, in a test) without replaying the
/// ones before it; or the dataset's own order when shuffling is off.
/// </summary>
internal static class SampleOrder
{
    /// <summary>Fills <paramref name="order"/> with the order of epoch <paramref name="epoch"/>.</summary>
    public static void Compute(Span<int> order, bool shuffle, int seed, int epoch)
    {
        if (shuffle)
        {
            Shuffle(order, seed, epoch);
        }
        else
        {
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }
        }
    }

    /// <summary>A Fisher-Yates permutation of 0..n-1 from the (seed, stream) generator.</summary>
    public static void Shuffle(Span<int> order, int seed, long stream)
    {
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        SplitMix64 random = SplitMix64.For(seed, stream);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
