namespace TinyNet.Data;

/// <summary>How <see cref="CsvLoader"/> reads a CSV file.</summary>
public sealed class CsvOptions
{
    /// <summary>The first row names the columns. Default true.</summary>
    public bool HasHeader { get; set; } = true;

    /// <summary>The character between fields. Default ','.</summary>
    public char Separator { get; set; } = ',';

    /// <summary>The target column by its header name; needs <see cref="HasHeader"/>. Takes precedence over <see cref="TargetColumnIndex"/>.</summary>
    public string? TargetColumn { get; set; }

    /// <summary>The target column by its index from 0; null (and no <see cref="TargetColumn"/>) means the last column.</summary>
    public int? TargetColumnIndex { get; set; }

    /// <summary>Columns, by header name, that are neither features nor the target (an id, a date); they need <see cref="HasHeader"/>.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; set; } = [];

    /// <summary>What the target column holds. Default <see cref="CsvTargetKind.Auto"/>.</summary>
    public CsvTargetKind TargetKind { get; set; } = CsvTargetKind.Auto;

    /// <summary>
    /// The class labels to map to indices 0, 1, ... (for example those of the training file when
    /// reading the test file); a label not in the list is an error. Null: the labels found, sorted
    /// (numerically when all are numbers, otherwise by ordinal string order).
    /// </summary>
    public IReadOnlyList<string>? ClassLabels { get; set; }
}
