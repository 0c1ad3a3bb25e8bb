namespace TinyNet.Data;

/// <summary>What the target column of a CSV file holds.</summary>
public enum CsvTargetKind
{
    /// <summary>Classification when any target value is not a number; regression otherwise.</summary>
    Auto,

    /// <summary>Class labels (any text, numbers included), mapped to class indices: targets [samples].</summary>
    Classification,

    /// <summary>Numbers: targets [samples, 1].</summary>
    Regression,
}
