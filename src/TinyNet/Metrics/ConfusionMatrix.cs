using System.Globalization;
using System.Text;

namespace TinyNet.Metrics;

/// <summary>
/// Counts of (actual class, predicted class) pairs, and the per-class and macro-averaged
/// precision, recall and F1 they give. A class that is never predicted has precision 0, one that
/// never occurs has recall 0, and F1 is 0 where precision + recall is 0 (scikit-learn's
/// <c>zero_division=0</c>).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>Creates the matrix from counts.</summary>
    /// <param name="counts">[classes, classes]: counts[actual, predicted], whole and non-negative.</param>
    public ConfusionMatrix(long[,] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.GetLength(0) != counts.GetLength(1) || counts.GetLength(0) < 2)
        {
            throw new ArgumentException($"counts must be square with at least 2 classes; it is {counts.GetLength(0)} x {counts.GetLength(1)}.", nameof(counts));
        }

        ClassCount = counts.GetLength(0);
        _counts = new long[ClassCount * ClassCount];
        for (int a = 0; a < ClassCount; a++)
        {
            for (int p = 0; p < ClassCount; p++)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(counts[a, p], nameof(counts));
                _counts[(a * ClassCount) + p] = counts[a, p];
            }
        }
    }

    private ConfusionMatrix(long[] counts, int classes)
    {
        _counts = counts;
        ClassCount = classes;
    }

    /// <summary>The number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The number of predictions counted.</summary>
    public long Total => _counts.Sum();

    /// <summary>The share of predictions that are right (0 when there are none).</summary>
    public double Accuracy
    {
        get
        {
            long right = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                right += this[c, c];
            }

            return Ratio(right, Total);
        }
    }

    /// <summary>Precision averaged over the classes, each counting the same.</summary>
    public double MacroPrecision => Macro(Precision);

    /// <summary>Recall averaged over the classes, each counting the same.</summary>
    public double MacroRecall => Macro(Recall);

    /// <summary>F1 averaged over the classes, each counting the same.</summary>
    public double MacroF1 => Macro(F1);

    /// <summary>How often class <paramref name="actual"/> was predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">The true class.</param>
    /// <param name="predicted">The predicted class.</param>
    public long this[int actual, int predicted]
    {
        get
        {
            CheckClass(actual, nameof(actual));
            CheckClass(predicted, nameof(predicted));
            return _counts[(actual * ClassCount) + predicted];
        }
    }

    /// <summary>Of the predictions of a class, the share that are right.</summary>
    /// <param name="classIndex">The class.</param>
    /// <returns>Its precision.</returns>
    public double Precision(int classIndex)
    {
        CheckClass(classIndex, nameof(classIndex));
        return Ratio(this[classIndex, classIndex], Sum(classIndex, column: true));
    }

    /// <summary>Of the samples of a class, the share predicted as that class.</summary>
    /// <param name="classIndex">The class.</param>
    /// <returns>Its recall.</returns>
    public double Recall(int classIndex)
    {
        CheckClass(classIndex, nameof(classIndex));
        return Ratio(this[classIndex, classIndex], Sum(classIndex, column: false));
    }

    /// <summary>The harmonic mean of a class's precision and recall.</summary>
    /// <param name="classIndex">The class.</param>
    /// <returns>Its F1.</returns>
    public double F1(int classIndex)
    {
        double precision = Precision(classIndex);
        double recall = Recall(classIndex);
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    /// <summary>The counts as a table, actual classes down, predicted across, with each class's precision, recall and F1.</summary>
    /// <returns>The table, one line per class.</returns>
    public override string ToString()
    {
        int width = Math.Max(6, _counts.Max().ToString(CultureInfo.InvariantCulture).Length + 1);
        var text = new StringBuilder("actual \\ predicted");
        for (int p = 0; p < ClassCount; p++)
        {
            text.Append(p.ToString(CultureInfo.InvariantCulture).PadLeft(width));
        }

        text.Append("  precision  recall      f1\n");
        for (int a = 0; a < ClassCount; a++)
        {
            text.Append(a.ToString(CultureInfo.InvariantCulture).PadLeft(18));
            for (int p = 0; p < ClassCount; p++)
            {
                text.Append(this[a, p].ToString(CultureInfo.InvariantCulture).PadLeft(width));
            }

            text.Append(CultureInfo.InvariantCulture, $"  {Precision(a),9:F4} {Recall(a),7:F4} {F1(a),7:F4}\n");
        }

        return text.Append(CultureInfo.InvariantCulture, $"macro average: precision {MacroPrecision:F4}, recall {MacroRecall:F4}, f1 {MacroF1:F4}; accuracy {Accuracy:F4} of {Total}").ToString();
    }

    /// <summary>A matrix over counts kept as doubles by the metric accumulator.</summary>
    internal static ConfusionMatrix FromCounts(ReadOnlySpan<double> counts, int classes)
    {
        long[] whole = new long[counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            whole[i] = (long)counts[i];
        }

        return new ConfusionMatrix(whole, classes);
    }

    /// <summary>The predictions of a class (its column) or its samples (its row).</summary>
    private long Sum(int classIndex, bool column)
    {
        long sum = 0;
        for (int i = 0; i < ClassCount; i++)
        {
            sum += column ? this[i, classIndex] : this[classIndex, i];
        }

        return sum;
    }

    private static double Ratio(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    private double Macro(Func<int, double> perClass)
    {
        double sum = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            sum += perClass(c);
        }

        return sum / ClassCount;
    }

    private void CheckClass(int classIndex, string argument)
    {
        if ((uint)classIndex >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(argument, classIndex, $"A class index must be in [0, {ClassCount}).");
        }
    }
}
