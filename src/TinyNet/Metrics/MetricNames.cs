namespace TinyNet.Metrics;

/// <summary>
/// The metrics a <see cref="Training.Trainer"/> can compute, by the names that
/// <see cref="Training.TrainerOptions.Metrics"/> takes and that <see cref="Training.EpochRecord"/>,
/// the progress line and the CSV log show. Classification metrics need
/// <see cref="Losses.SoftmaxCrossEntropy"/> or <see cref="Losses.BinaryCrossEntropyWithLogits"/>
/// (whose outputs count as two classes, element by element); regression metrics need
/// <see cref="Losses.MeanSquaredError"/>.
/// </summary>
public static class MetricNames
{
    /// <summary>The share of correct predictions.</summary>
    public const string Accuracy = "accuracy";

    /// <summary>Precision, macro-averaged over the classes (a class never predicted counts 0).</summary>
    public const string Precision = "precision";

    /// <summary>Recall, macro-averaged over the classes (a class never present counts 0).</summary>
    public const string Recall = "recall";

    /// <summary>F1, the harmonic mean of a class's precision and recall, macro-averaged over the classes.</summary>
    public const string F1 = "f1";

    /// <summary>The mean absolute error over every output.</summary>
    public const string MeanAbsoluteError = "mae";

    /// <summary>The root of the mean squared error over every output.</summary>
    public const string RootMeanSquaredError = "rmse";

    /// <summary>The coefficient of determination, 1 - SSE / SST per output, averaged over the outputs (as scikit-learn's r2_score).</summary>
    public const string R2 = "r2";

    /// <summary>The classification metrics.</summary>
    public static IReadOnlyList<string> Classification { get; } = [Accuracy, Precision, Recall, F1];

    /// <summary>The regression metrics.</summary>
    public static IReadOnlyList<string> Regression { get; } = [MeanAbsoluteError, RootMeanSquaredError, R2];
}
