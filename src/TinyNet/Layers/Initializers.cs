namespace TinyNet.Layers;

/// <summary>
/// Weight initializers, each filling a span from a seeded <see cref="Random"/>. Layers created
/// without a seed take one from <see cref="NextSeed"/>, a process-wide sequence that starts at a
/// fixed value, so a program that builds its model the same way gets the same weights.
/// </summary>
public static class Initializers
{
    private static readonly Lock s_gate = new();
    private static Random s_seeds = new(DefaultSeed);

    /// <summary>The seed the process-wide sequence starts from.</summary>
    public const int DefaultSeed = 20240601;

    /// <summary>Restarts the process-wide seed sequence (like <c>torch.manual_seed</c>).</summary>
    /// <param name="seed">The new starting seed.</param>
    public static void SetSeed(int seed)
    {
        lock (s_gate)
        {
            s_seeds = new Random(seed);
        }
    }

    /// <summary>The next seed of the process-wide sequence.</summary>
    /// <returns>A seed for one layer's random numbers.</returns>
    public static int NextSeed()
    {
        lock (s_gate)
        {
            return s_seeds.Next();
        }
    }

    /// <summary>Fills <paramref name="values"/> from U(-bound, bound).</summary>
    /// <param name="values">The values to fill.</param>
    /// <param name="bound">The half-width of the interval; zero or positive.</param>
    /// <param name="random">The random source.</param>
    public static void Uniform(Span<float> values, float bound, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(bound >= 0) || float.IsInfinity(bound))
        {
            throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound must be finite and zero or positive.");
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2) - 1) * bound);
        }
    }

    /// <summary>Fills <paramref name="values"/> from N(0, standardDeviation²) (Box-Muller).</summary>
    /// <param name="values">The values to fill.</param>
    /// <param name="standardDeviation">The standard deviation; zero or positive.</param>
    /// <param name="random">The random source.</param>
    public static void Normal(Span<float> values, float standardDeviation, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(standardDeviation >= 0) || float.IsInfinity(standardDeviation))
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "The standard deviation must be finite and zero or positive.");
        }

        for (int i = 0; i < values.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble(); // in (0, 1], so the logarithm is finite.
            double u2 = random.NextDouble();
            values[i] = (float)(standardDeviation * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }

    /// <summary>
    /// Kaiming (He) uniform as PyTorch's <c>kaiming_uniform_</c> with leaky-ReLU gain: bound =
    /// sqrt(6 / ((1 + a²) fanIn)). With a = sqrt(5) (PyTorch's Linear default) this is 1/sqrt(fanIn).
    /// </summary>
    /// <param name="values">The weights to fill.</param>
    /// <param name="fanIn">The inputs of each unit (inFeatures for a Linear weight [out, in]).</param>
    /// <param name="negativeSlope">a, the negative slope of the leaky ReLU that follows (0 for ReLU).</param>
    /// <param name="random">The random source.</param>
    public static void KaimingUniform(Span<float> values, int fanIn, float negativeSlope, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fanIn, 1);
        Uniform(values, (float)Math.Sqrt(6.0 / ((1 + (negativeSlope * negativeSlope)) * fanIn)), random);
    }

    /// <summary>He uniform (Kaiming uniform for ReLU): bound = sqrt(6 / fanIn).</summary>
    /// <param name="values">The weights to fill.</param>
    /// <param name="fanIn">The inputs of each unit.</param>
    /// <param name="random">The random source.</param>
    public static void HeUniform(Span<float> values, int fanIn, Random random) => KaimingUniform(values, fanIn, 0f, random);

    /// <summary>He normal: N(0, 2 / fanIn).</summary>
    /// <param name="values">The weights to fill.</param>
    /// <param name="fanIn">The inputs of each unit.</param>
    /// <param name="random">The random source.</param>
    public static void HeNormal(Span<float> values, int fanIn, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fanIn, 1);
        Normal(values, (float)Math.Sqrt(2.0 / fanIn), random);
    }

    /// <summary>Xavier (Glorot) uniform: bound = gain * sqrt(6 / (fanIn + fanOut)).</summary>
    /// <param name="values">The weights to fill.</param>
    /// <param name="fanIn">The inputs of each unit.</param>
    /// <param name="fanOut">The units.</param>
    /// <param name="random">The random source.</param>
    /// <param name="gain">A scale for the activation that follows (1 for linear or sigmoid).</param>
    public static void XavierUniform(Span<float> values, int fanIn, int fanOut, Random random, float gain = 1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fanIn, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fanOut, 1);
        Uniform(values, (float)(gain * Math.Sqrt(6.0 / (fanIn + fanOut))), random);
    }

    /// <summary>Xavier (Glorot) normal: N(0, gain² * 2 / (fanIn + fanOut)).</summary>
    /// <param name="values">The weights to fill.</param>
    /// <param name="fanIn">The inputs of each unit.</param>
    /// <param name="fanOut">The units.</param>
    /// <param name="random">The random source.</param>
    /// <param name="gain">A scale for the activation that follows.</param>
    public static void XavierNormal(Span<float> values, int fanIn, int fanOut, Random random, float gain = 1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fanIn, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fanOut, 1);
        Normal(values, (float)(gain * Math.Sqrt(2.0 / (fanIn + fanOut))), random);
    }
}
