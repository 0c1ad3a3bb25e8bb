namespace TinyNet.Kernels;

/// <summary>Counts of correct predictions, for accuracy.</summary>
internal static class MetricKernels
{
    /// <summary>
    /// Rows of [rows, classes] scores whose largest score (the first, on ties) is the target class:
    /// the class index, or the largest entry of a probability row.
    /// </summary>
    public static int CountArgmaxMatches(ReadOnlySpan<float> scores, int rows, int classes, ReadOnlySpan<float> target, bool targetIsIndex)
    {
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            int predicted = ArgMax(scores.Slice(r * classes, classes));
            int expected = targetIsIndex ? (int)target[r] : ArgMax(target.Slice(r * classes, classes));
            if (predicted == expected)
            {
                correct++;
            }
        }

        return correct;
    }

    /// <summary>Elements where logit &gt; 0 agrees with target &gt;= 0.5.</summary>
    public static int CountThresholdMatches(ReadOnlySpan<float> logits, ReadOnlySpan<float> target)
    {
        int correct = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            if ((logits[i] > 0f) == (target[i] >= 0.5f))
            {
                correct++;
            }
        }

        return correct;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
