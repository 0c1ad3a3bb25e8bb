namespace TinyNet.Data;

/// <summary>
/// Seeded generators of small classic datasets. Classification targets are class indices,
/// [samples] (as floats), for <c>SoftmaxCrossEntropy</c>; inputs are [samples, 2] points.
/// </summary>
public static class SyntheticData
{
    /// <summary>Interleaved spirals, one arm per class, each sweeping about 1.75 turns from the centre.</summary>
    /// <param name="samplesPerClass">Points per arm; at least 1.</param>
    /// <param name="classes">Arms (and classes); at least 2.</param>
    /// <param name="noise">The standard deviation of Gaussian noise on each coordinate; zero or positive.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>Inputs [classes * samplesPerClass, 2] and class indices [classes * samplesPerClass].</returns>
    public static Dataset Spirals(int samplesPerClass, int classes = 2, float noise = 0.05f, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerClass, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        CheckNoise(noise, nameof(noise));
        var random = new SplitMix64((ulong)seed ^ 0x5EED5EED);
        int count = samplesPerClass * classes;
        var inputs = new Tensor(count, 2);
        var targets = new Tensor(count);
        Span<float> x = inputs.AsSpan();
        Span<float> y = targets.AsSpan();
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < samplesPerClass; i++)
            {
                int n = (c * samplesPerClass) + i;
                double t = (i + 0.5) / samplesPerClass;
                double radius = t;
                double angle = (3.5 * Math.PI * t) + (2 * Math.PI * c / classes);
                x[2 * n] = (float)((radius * Math.Cos(angle)) + (noise * Gaussian(ref random)));
                x[(2 * n) + 1] = (float)((radius * Math.Sin(angle)) + (noise * Gaussian(ref random)));
                y[n] = c;
            }
        }

        return new Dataset(inputs, targets);
    }

    /// <summary>Two interleaving half circles (scikit-learn's moons).</summary>
    /// <param name="samples">Points in all; at least 2.</param>
    /// <param name="noise">The standard deviation of Gaussian noise; zero or positive.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>Inputs [samples, 2] and class indices [samples] (0 or 1).</returns>
    public static Dataset Moons(int samples, float noise = 0.1f, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2);
        CheckNoise(noise, nameof(noise));
        var random = new SplitMix64((ulong)seed ^ 0x0000_0000_0000_0302UL);
        var inputs = new Tensor(samples, 2);
        var targets = new Tensor(samples);
        Span<float> x = inputs.AsSpan();
        Span<float> y = targets.AsSpan();
        int upper = samples / 2;
        for (int n = 0; n < samples; n++)
        {
            bool first = n < upper;
            int index = first ? n : n - upper;
            int size = first ? upper : samples - upper;
            double angle = Math.PI * index / Math.Max(size - 1, 1);
            double px = first ? Math.Cos(angle) : 1 - Math.Cos(angle);
            double py = first ? Math.Sin(angle) : 0.5 - Math.Sin(angle);
            x[2 * n] = (float)(px + (noise * Gaussian(ref random)));
            x[(2 * n) + 1] = (float)(py + (noise * Gaussian(ref random)));
            y[n] = first ? 0 : 1;
        }

        return new Dataset(inputs, targets);
    }

    /// <summary>Gaussian blobs around centres spaced evenly on a circle of radius 2.</summary>
    /// <param name="samplesPerClass">Points per blob; at least 1.</param>
    /// <param name="classes">Blobs; at least 2.</param>
    /// <param name="spread">The standard deviation of each blob; zero or positive.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>Inputs [classes * samplesPerClass, 2] and class indices.</returns>
    public static Dataset Blobs(int samplesPerClass, int classes = 3, float spread = 0.4f, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerClass, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        CheckNoise(spread, nameof(spread));
        var random = new SplitMix64((ulong)seed ^ 0xB10B5UL);
        int count = samplesPerClass * classes;
        var inputs = new Tensor(count, 2);
        var targets = new Tensor(count);
        Span<float> x = inputs.AsSpan();
        Span<float> y = targets.AsSpan();
        for (int n = 0; n < count; n++)
        {
            int c = n / samplesPerClass;
            double angle = 2 * Math.PI * c / classes;
            x[2 * n] = (float)((2 * Math.Cos(angle)) + (spread * Gaussian(ref random)));
            x[(2 * n) + 1] = (float)((2 * Math.Sin(angle)) + (spread * Gaussian(ref random)));
            y[n] = c;
        }

        return new Dataset(inputs, targets);
    }

    /// <summary>A smooth regression: y = sin(x) + noise, x uniform in [-pi, pi].</summary>
    /// <param name="samples">Points; at least 1.</param>
    /// <param name="noise">The standard deviation of Gaussian noise on y; zero or positive.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>Inputs [samples, 1] and targets [samples, 1].</returns>
    public static Dataset Regression(int samples, float noise = 0.05f, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        CheckNoise(noise, nameof(noise));
        var random = new SplitMix64((ulong)seed ^ 0x51CEUL);
        var inputs = new Tensor(samples, 1);
        var targets = new Tensor(samples, 1);
        Span<float> x = inputs.AsSpan();
        Span<float> y = targets.AsSpan();
        for (int n = 0; n < samples; n++)
        {
            double value = ((random.NextDouble() * 2) - 1) * Math.PI;
            x[n] = (float)value;
            y[n] = (float)(Math.Sin(value) + (noise * Gaussian(ref random)));
        }

        return new Dataset(inputs, targets);
    }

    private static double Gaussian(ref SplitMix64 random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static void CheckNoise(float noise, string argument)
    {
        if (!(noise >= 0f) || float.IsInfinity(noise))
        {
            throw new ArgumentOutOfRangeException(argument, noise, $"{argument} must be finite and zero or positive.");
        }
    }
}
