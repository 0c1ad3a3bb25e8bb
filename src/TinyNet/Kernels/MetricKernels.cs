namespace TinyNet.Kernels;

/// <summary>Counts of correct predictions, confusion counts and error sums, for the metrics.</summary>
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

    /// <summary>
    /// counts[actual * classes + predicted] += 1 for each row of [rows, classes] scores: predicted
    /// is the row's largest score (the first, on ties), actual the class index or the largest
    /// entry of a probability row.
    /// </summary>
    public static void AddConfusion(ReadOnlySpan<float> scores, int rows, int classes, ReadOnlySpan<float> target, bool targetIsIndex, Span<double> counts)
    {
        for (int r = 0; r < rows; r++)
        {
            int predicted = ArgMax(scores.Slice(r * classes, classes));
            int actual = targetIsIndex ? (int)target[r] : ArgMax(target.Slice(r * classes, classes));
            counts[(actual * classes) + predicted] += 1;
        }
    }

    /// <summary>The 2 x 2 confusion counts of binary outputs: predicted is logit &gt; 0, actual is target &gt;= 0.5.</summary>
    public static void AddBinaryConfusion(ReadOnlySpan<float> logits, ReadOnlySpan<float> target, Span<double> counts)
    {
        for (int i = 0; i < logits.Length; i++)
        {
            int predicted = logits[i] > 0f ? 1 : 0;
            int actual = target[i] >= 0.5f ? 1 : 0;
            counts[(actual * 2) + predicted] += 1;
        }
    }

    /// <summary>
    /// The sums regression metrics need, over a [rows, columns] prediction and target:
    /// sums[0] += |error|, sums[1] += error², sums[2] += rows, and for each column c,
    /// sums[3 + 3c .. 5 + 3c] += (y, y², error²), for the column's R².
    /// </summary>
    public static void AddRegressionSums(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, int columns, Span<double> sums)
    {
        sums[2] += prediction.Length / columns;
        for (int i = 0; i < prediction.Length; i++)
        {
            double y = target[i];
            double error = prediction[i] - y;
            int column = 3 + (3 * (i % columns));
            sums[0] += Math.Abs(error);
            sums[1] += error * error;
            sums[column] += y;
            sums[column + 1] += y * y;
            sums[column + 2] += error * error;
        }
    }

    /// <summary>
    /// classes[r] = the column of row r's largest score (the first, on ties), for [rows, columns]
    /// scores; with one column, 1 where the logit is above 0, else 0.
    /// </summary>
    public static void PredictedClasses(ReadOnlySpan<float> scores, int columns, Span<int> classes)
    {
        for (int r = 0; r < classes.Length; r++)
        {
            classes[r] = columns == 1 ? (scores[r] > 0f ? 1 : 0) : ArgMax(scores.Slice(r * columns, columns));
        }
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
