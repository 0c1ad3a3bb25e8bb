namespace TinyNet.Data;

/// <summary>What <see cref="CsvLoader"/> read: the dataset and the names that go with it.</summary>
public sealed class CsvData
{
    internal CsvData(Dataset dataset, IReadOnlyList<string> featureNames, string targetName, IReadOnlyList<string>? classLabels)
    {
        Dataset = dataset;
        FeatureNames = featureNames;
        TargetName = targetName;
        ClassLabels = classLabels;
    }

    /// <summary>
    /// The samples: inputs [samples, features]; targets [samples] class indices for
    /// classification, or [samples, 1] numbers for regression.
    /// </summary>
    public Dataset Dataset { get; }

    /// <summary>The feature columns' names in input order (the header's, or <c>column0</c>, <c>column1</c>, ... without one).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The target column's name.</summary>
    public string TargetName { get; }

    /// <summary>For classification, the label of each class index (class i is <c>ClassLabels[i]</c>); null for regression.</summary>
    public IReadOnlyList<string>? ClassLabels { get; }
}
