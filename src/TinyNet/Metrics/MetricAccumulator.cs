using TinyNet.Kernels;
using TinyNet.Losses;

namespace TinyNet.Metrics;

/// <summary>
/// Sums, batch by batch, what the metrics of one loss need: the confusion counts of a classifier
/// or the error sums of a regression. The sums live in one array of doubles (whole counts stay
/// exact up to 2^53), allocated at the first batch and reused, so adding a batch allocates
/// nothing; the array is also what a checkpoint saves mid-epoch.
/// </summary>
internal sealed class MetricAccumulator
{
    private readonly Kind _kind;
    private readonly IReadOnlyList<string> _names;
    private double[] _sums = [];
    private int _width;

    /// <summary>Creates an accumulator of the given metrics for a loss; the names must have passed <see cref="Check"/>.</summary>
    public MetricAccumulator(Loss loss, IReadOnlyList<string> names)
    {
        _kind = KindOf(loss) ?? throw new ArgumentException($"{loss.GetType().Name} has no metrics.", nameof(loss));
        _names = names;
    }

    private enum Kind
    {
        Softmax,
        Binary,
        Regression,
    }

    /// <summary>The metric names this accumulator reports.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The confusion counts so far, for a classifier with at least one batch; otherwise null.</summary>
    public ConfusionMatrix? Confusion => _kind != Kind.Regression && _sums.Length > 0 ? ConfusionMatrix.FromCounts(_sums, _width) : null;

    /// <summary>The sums so far, to save; empty before the first batch.</summary>
    public double[] State => (double[])_sums.Clone();

    /// <summary>Every metric the loss supports, by name.</summary>
    public static IReadOnlyList<string> SupportedBy(Loss loss) => KindOf(loss) switch
    {
        Kind.Regression => MetricNames.Regression,
        null => [],
        _ => MetricNames.Classification,
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="argument"/> unless every name is a metric of the loss, once.</summary>
    public static void Check(Loss loss, IReadOnlyList<string> names, string argument)
    {
        IReadOnlyList<string> supported = SupportedBy(loss);
        foreach (string name in names)
        {
            if (!MetricNames.Classification.Contains(name) && !MetricNames.Regression.Contains(name))
            {
                throw new ArgumentException(
                    $"'{name}' is not a metric; the metrics are {string.Join(", ", MetricNames.Classification.Concat(MetricNames.Regression))}.", argument);
            }

            if (!supported.Contains(name))
            {
                throw new ArgumentException(
                    $"'{name}' is not a metric of {loss.GetType().Name}; it supports {(supported.Count == 0 ? "none" : string.Join(", ", supported))}.", argument);
            }
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ArgumentException($"A metric is named twice in [{string.Join(", ", names)}].", argument);
        }
    }

    /// <summary>The sums, to be summed across ranks in place; empty before <see cref="Prepare"/> or the first batch.</summary>
    public Span<double> Sums => _sums;

    /// <summary>Sizes the sums for outputs like <paramref name="output"/> ([batch, ...]), keeping them when they fit already.</summary>
    public void Prepare(Tensor output)
    {
        int width = _kind switch
        {
            Kind.Softmax => output.Dimension(1),
            Kind.Binary => 2,
            _ => output.Length / Math.Max(output.Dimension(0), 1),
        };
        if (_sums.Length == 0 || width != _width)
        {
            _width = width;
            _sums = new double[_kind == Kind.Regression ? 3 + (3 * width) : width * width];
        }
    }

    /// <summary>Adds another accumulator's sums (of the same metrics and outputs) into these.</summary>
    public void Add(MetricAccumulator other)
    {
        for (int i = 0; i < _sums.Length; i++)
        {
            _sums[i] += other._sums[i];
        }
    }

    /// <summary>Forgets every batch.</summary>
    public void Reset() => Array.Clear(_sums);

    /// <summary>Sets the sums to a saved <see cref="State"/>.</summary>
    public void Restore(double[] state)
    {
        _sums = (double[])state.Clone();
        _width = _kind switch
        {
            Kind.Softmax => (int)Math.Round(Math.Sqrt(state.Length)),
            Kind.Binary => 2,
            _ => (state.Length - 3) / 3,
        };
    }

    /// <summary>Adds one batch.</summary>
    /// <param name="output">The model's output: [batch, classes] scores, logits, or [batch, ...] predictions.</param>
    /// <param name="targets">The batch's targets, as the loss takes them.</param>
    public void Add(Tensor output, Tensor targets)
    {
        int rows = output.Dimension(0);
        Prepare(output);

        switch (_kind)
        {
            case Kind.Softmax:
                MetricKernels.AddConfusion(output.AsSpan(), rows, _width, targets.AsSpan(), targetIsIndex: targets.Rank == 1, _sums);
                break;
            case Kind.Binary:
                MetricKernels.AddBinaryConfusion(output.AsSpan(), targets.AsSpan(), _sums);
                break;
            default:
                MetricKernels.AddRegressionSums(output.AsSpan(), targets.AsSpan(), _width, _sums);
                break;
        }
    }

    /// <summary>The metrics over every batch added since the last reset, by name, in the order asked for.</summary>
    public IReadOnlyDictionary<string, float> Values()
    {
        var values = new Dictionary<string, float>(_names.Count, StringComparer.Ordinal);
        ConfusionMatrix? confusion = Confusion;
        foreach (string name in _names)
        {
            values[name] = (float)(name switch
            {
                MetricNames.Accuracy => confusion?.Accuracy ?? 0,
                MetricNames.Precision => confusion?.MacroPrecision ?? 0,
                MetricNames.Recall => confusion?.MacroRecall ?? 0,
                MetricNames.F1 => confusion?.MacroF1 ?? 0,
                MetricNames.MeanAbsoluteError => RegressionError(absolute: true),
                MetricNames.RootMeanSquaredError => Math.Sqrt(RegressionError(absolute: false)),
                MetricNames.R2 => R2(),
                _ => throw new InvalidOperationException($"unknown metric '{name}'"),
            });
        }

        return values;
    }

    private static Kind? KindOf(Loss loss) => loss switch
    {
        SoftmaxCrossEntropy => Kind.Softmax,
        BinaryCrossEntropyWithLogits => Kind.Binary,
        MeanSquaredError => Kind.Regression,
        _ => null,
    };

    /// <summary>The mean absolute or squared error over every output element counted.</summary>
    private double RegressionError(bool absolute)
    {
        if (_sums.Length == 0)
        {
            return 0;
        }

        double count = _sums[2] * _width;
        return count == 0 ? 0 : _sums[absolute ? 0 : 1] / count;
    }

    /// <summary>1 - SSE / SST per output column, averaged; a constant column scores 1 when predicted exactly and 0 otherwise.</summary>
    private double R2()
    {
        if (_sums.Length == 0 || _sums[2] == 0)
        {
            return 0;
        }

        double sum = 0;
        for (int c = 0; c < _width; c++)
        {
            double n = _sums[2];
            double sumY = _sums[3 + (3 * c)];
            double sumY2 = _sums[4 + (3 * c)];
            double sse = _sums[5 + (3 * c)];
            double sst = Math.Max(sumY2 - (sumY * sumY / n), 0);
            sum += sst > 0 ? 1 - (sse / sst) : sse == 0 ? 1 : 0;
        }

        return sum / _width;
    }
}
