namespace TinyNet.Data;

/// <summary>
/// Seeded generators of small classic datasets. Classification targets are class indices,
/// [samples] (as floats), for <c>SoftmaxCrossEntropy</c>; inputs are [samples, 2] points, or
/// [samples, 1, size, size] images for <see cref="Shapes"/>.
/// </summary>
public static class SyntheticData
{
    /// <summary>The names of the classes of <see cref="Shapes"/>, by class index.</summary>
    public static IReadOnlyList<string> ShapeNames { get; } = ["horizontal", "vertical", "diagonal", "square"];

    /// <summary>
    /// Grayscale images of four kinds of stroke, one class each (<see cref="ShapeNames"/>): a
    /// horizontal bar, a vertical bar, a diagonal line (either way) and a square outline, each of
    /// random position, length (half the image or more) and brightness, 1 or 2 pixels thick, on a
    /// background of Gaussian noise. Samples come in random class order.
    /// </summary>
    /// <param name="samplesPerClass">Images per class; at least 1.</param>
    /// <param name="size">The side of the images, in pixels; at least 8.</param>
    /// <param name="noise">The standard deviation of the background noise; zero or positive.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>Inputs [4 * samplesPerClass, 1, size, size] and class indices [4 * samplesPerClass].</returns>
    public static Dataset Shapes(int samplesPerClass, int size = 16, float noise = 0.1f, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerClass, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        CheckNoise(noise, nameof(noise));
        var random = new SplitMix64((ulong)seed ^ 0x5A4E5);
        int classes = ShapeNames.Count;
        int count = samplesPerClass * classes;
        var inputs = new Tensor(count, 1, size, size);
        var targets = new Tensor(count);
        Span<float> labels = targets.AsSpan();
        int[] order = new int[count];
        SampleOrder.Shuffle(order, seed, stream: -3);
        for (int n = 0; n < count; n++)
        {
            int label = order[n] % classes;
            labels[n] = label;
            Span<float> image = inputs.AsSpan().Slice(n * size * size, size * size);
            for (int i = 0; i < image.Length; i++)
            {
                image[i] = (float)(noise * Gaussian(ref random));
            }

            int length = (size / 2) + random.NextInt((size / 2) - 1);
            int thickness = 1 + random.NextInt(2);
            float brightness = 0.7f + (0.3f * random.NextSingle());
            int x0 = random.NextInt(size - length + 1);
            int y0 = random.NextInt(size - length + 1);
            switch (label)
            {
                case 0:
                    Stroke(image, size, x0, y0 + random.NextInt(length - thickness + 1), length, thickness, 1, 0, brightness);
                    break;
                case 1:
                    Stroke(image, size, x0 + random.NextInt(length - thickness + 1), y0, length, thickness, 0, 1, brightness);
                    break;
                case 2:
                    bool falling = random.NextInt(2) == 0;
                    Stroke(image, size, x0, falling ? y0 : y0 + length - 1, length, thickness, 1, falling ? 1 : -1, brightness);
                    break;
                default:
                    Stroke(image, size, x0, y0, length, 1, 1, 0, brightness);
                    Stroke(image, size, x0, y0 + length - 1, length, 1, 1, 0, brightness);
                    Stroke(image, size, x0, y0, length, 1, 0, 1, brightness);
                    Stroke(image, size, x0 + length - 1, y0, length, 1, 0, 1, brightness);
                    break;
            }
        }

        return new Dataset(inputs, targets);
    }

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

    /// <summary>Sets the pixels of a line of <paramref name="length"/> steps of (dx, dy) from (x, y), <paramref name="thickness"/> pixels wide across it.</summary>
    private static void Stroke(Span<float> image, int size, int x, int y, int length, int thickness, int dx, int dy, float brightness)
    {
        for (int step = 0; step < length; step++)
        {
            for (int t = 0; t < thickness; t++)
            {
                int px = x + (step * dx) + (dy != 0 ? t : 0);
                int py = y + (step * dy) + (dy == 0 ? t : 0);
                if ((uint)px < (uint)size && (uint)py < (uint)size)
                {
                    image[(py * size) + px] = brightness;
                }
            }
        }
    }

    private static void CheckNoise(float noise, string argument)
    {
        if (!(noise >= 0f) || float.IsInfinity(noise))
        {
            throw new ArgumentOutOfRangeException(argument, noise, $"{argument} must be finite and zero or positive.");
        }
    }
}
