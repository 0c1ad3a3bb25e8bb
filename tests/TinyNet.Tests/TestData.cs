namespace TinyNet.Tests;

/// <summary>Seeded test inputs.</summary>
internal static class TestData
{
    /// <summary>A tensor of values uniform in [-scale, scale), seeded.</summary>
    public static Tensor Random(int seed, float scale, params int[] shape)
    {
        var random = new Random(seed);
        var tensor = new Tensor(shape);
        Span<float> values = tensor.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2) - 1) * scale);
        }

        return tensor;
    }

    /// <summary>Like <see cref="Random"/>, but no value within <paramref name="gap"/> of zero (kinks of ReLU and friends).</summary>
    public static Tensor AwayFromZero(int seed, float scale, float gap, params int[] shape)
    {
        Tensor tensor = Random(seed, scale, shape);
        Span<float> values = tensor.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            if (MathF.Abs(values[i]) < gap)
            {
                values[i] = values[i] < 0 ? values[i] - gap : values[i] + gap;
            }
        }

        return tensor;
    }

    /// <summary>Bytes allocated on this thread while <paramref name="action"/> runs <paramref name="times"/> times.</summary>
    public static long AllocatedBytes(Action action, int times)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < times; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
