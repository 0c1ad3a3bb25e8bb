namespace TinyNet.Kernels;

/// <summary>
/// The losses' arithmetic: each returns the sum of the per-element (or per-sample) losses,
/// accumulated in double, and writes the gradient of the mean, given the count to divide by.
/// </summary>
internal static class LossKernels
{
    /// <summary>sum (p - t)²; gradient[i] = 2 (p - t) / count.</summary>
    public static double SquaredError(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient, int count)
    {
        double sum = 0;
        float scale = 2f / count;
        for (int i = 0; i < prediction.Length; i++)
        {
            float difference = prediction[i] - target[i];
            sum += (double)difference * difference;
            gradient[i] = scale * difference;
        }

        return sum;
    }

    /// <summary>
    /// Binary cross-entropy on logits x with targets y, in the stable form
    /// max(x, 0) - x y + log(1 + e^-|x|); gradient[i] = (sigmoid(x) - y) / count.
    /// </summary>
    public static double BinaryCrossEntropyWithLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> target, Span<float> gradient, int count)
    {
        double sum = 0;
        float scale = 1f / count;
        for (int i = 0; i < logits.Length; i++)
        {
            double x = logits[i];
            double y = target[i];
            sum += Math.Max(x, 0) - (x * y) + Math.Log(1 + Math.Exp(-Math.Abs(x)));
            double sigmoid = x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
            gradient[i] = (float)((sigmoid - y) * scale);
        }

        return sum;
    }

    /// <summary>
    /// Softmax cross-entropy, per row of [rows, classes] logits, with log-sum-exp taken about the
    /// row's maximum so no exponential overflows. Targets are class indices (one per row) or
    /// probabilities (a row each). gradient = (softmax - target) / count.
    /// </summary>
    public static double SoftmaxCrossEntropy(
        ReadOnlySpan<float> logits, int rows, int classes, ReadOnlySpan<float> target, bool targetIsIndex, Span<float> gradient, int count)
    {
        double sum = 0;
        float scale = 1f / count;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = logits.Slice(r * classes, classes);
            Span<float> rowGradient = gradient.Slice(r * classes, classes);
            float max = float.NegativeInfinity;
            foreach (float value in row)
            {
                max = MathF.Max(max, value);
            }

            double total = 0;
            foreach (float value in row)
            {
                total += Math.Exp(value - max);
            }

            double logSumExp = max + Math.Log(total);
            if (targetIsIndex)
            {
                int label = (int)target[r];
                sum += logSumExp - row[label];
                for (int c = 0; c < classes; c++)
                {
                    double probability = Math.Exp(row[c] - logSumExp);
                    rowGradient[c] = (float)((probability - (c == label ? 1 : 0)) * scale);
                }
            }
            else
            {
                ReadOnlySpan<float> rowTarget = target.Slice(r * classes, classes);
                for (int c = 0; c < classes; c++)
                {
                    double probability = Math.Exp(row[c] - logSumExp);
                    sum += rowTarget[c] * (logSumExp - row[c]);
                    rowGradient[c] = (float)((probability - rowTarget[c]) * scale);
                }
            }
        }

        return sum;
    }
}
