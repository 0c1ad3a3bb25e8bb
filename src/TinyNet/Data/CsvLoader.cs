using System.Globalization;

namespace TinyNet.Data;

/// <summary>
/// Reads a CSV file of numeric feature columns and one target column into a <see cref="Dataset"/>.
/// Every value is parsed before the dataset is made, so a file with a malformed, missing or
/// non-numeric value gives an <see cref="InvalidDataException"/> naming its line and column, and
/// nothing is loaded. Numbers are read in the invariant culture (<c>1.5</c>, <c>-2e-3</c>).
/// </summary>
public static class CsvLoader
{
    /// <summary>Reads a CSV file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it; by default a header row, commas, the last column as the target.</param>
    /// <returns>The dataset, with the feature names and the class labels.</returns>
    /// <exception cref="InvalidDataException">The file's contents do not make a dataset; the message names the line and column.</exception>
    public static CsvData Load(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            throw new ArgumentException($"{path} is a directory, not a CSV file.", nameof(path));
        }

        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Load(reader, options ?? new CsvOptions(), Path.GetFileName(path));
    }

    /// <summary>Reads CSV text from a stream (UTF-8, or as its byte-order mark says); the stream is left open.</summary>
    /// <param name="stream">The text.</param>
    /// <param name="options">How to read it; by default a header row, commas, the last column as the target.</param>
    /// <returns>The dataset, with the feature names and the class labels.</returns>
    /// <exception cref="InvalidDataException">The text does not make a dataset; the message names the line and column.</exception>
    public static CsvData Read(Stream stream, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return Load(reader, options ?? new CsvOptions(), "the CSV stream");
    }

    private static CsvData Load(TextReader text, CsvOptions options, string source)
    {
        if (options.Separator is '"' or '\n' or '\r')
        {
            throw new ArgumentException($"options.Separator cannot be '{options.Separator}'.", nameof(options));
        }

        var records = new CsvRecordReader(text, options.Separator, source);
        List<string>? header = null;
        if (options.HasHeader)
        {
            header = records.Next()?.Fields ?? throw new InvalidDataException($"{source} is empty: there is no header row.");
        }
        else if (options.TargetColumn is not null || options.IgnoredColumns.Count > 0)
        {
            throw new ArgumentException("options.TargetColumn and options.IgnoredColumns name header columns, but options.HasHeader is false.", nameof(options));
        }

        var rows = new List<(List<string> Fields, int Line)>();
        while (records.Next() is { } record)
        {
            rows.Add(record);
        }

        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{source} holds no data rows.");
        }

        int columns = header?.Count ?? rows[0].Fields.Count;
        if (columns < 2)
        {
            throw new InvalidDataException($"{source} has {columns} column; a dataset needs at least one feature column and the target column.");
        }

        string[] names = header?.Select(n => n.Trim()).ToArray() ?? Enumerable.Range(0, columns).Select(i => "column" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        int target = TargetIndex(options, names, source);
        bool[] ignored = IgnoredMask(options, names, target);
        int[] features = Enumerable.Range(0, columns).Where(c => c != target && !ignored[c]).ToArray();
        if (features.Length == 0)
        {
            throw new ArgumentException($"options leave no feature column in {source}: the target is '{names[target]}' and every other column is ignored.", nameof(options));
        }

        float[] inputs = new float[rows.Count * features.Length];
        string[] targetTexts = new string[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            (List<string> fields, int line) = rows[r];
            if (fields.Count != columns)
            {
                throw new InvalidDataException($"{source}: line {line} has {fields.Count} fields; the {(header is null ? "first row" : "header")} has {columns}.");
            }

            for (int f = 0; f < features.Length; f++)
            {
                inputs[(r * features.Length) + f] = ParseNumber(fields[features[f]], source, line, features[f], names);
            }

            targetTexts[r] = fields[target].Trim();
            if (targetTexts[r].Length == 0)
            {
                throw Error(source, line, target, names, "the target value is missing");
            }
        }

        bool numeric = targetTexts.All(t => TryParseNumber(t, out _));
        bool classification = options.TargetKind == CsvTargetKind.Classification || (options.TargetKind == CsvTargetKind.Auto && !numeric);
        var dataset = classification
            ? ClassificationDataset(inputs, features.Length, targetTexts, options.ClassLabels, numeric, rows, target, names, source, out IReadOnlyList<string>? labels)
            : RegressionDataset(inputs, features.Length, targetTexts, rows, target, names, source, out labels);
        return new CsvData(dataset, features.Select(c => names[c]).ToArray(), names[target], labels);
    }

    private static int TargetIndex(CsvOptions options, string[] names, string source)
    {
        if (options.TargetColumn is string name)
        {
            int index = Array.IndexOf(names, name.Trim());
            return index >= 0
                ? index
                : throw new ArgumentException($"options.TargetColumn '{name}' is not a column of {source}; its columns are {string.Join(", ", names)}.", nameof(options));
        }

        int target = options.TargetColumnIndex ?? names.Length - 1;
        if (target < 0 || target >= names.Length)
        {
            throw new ArgumentException($"options.TargetColumnIndex {target} is outside the {names.Length} columns of {source}.", nameof(options));
        }

        return target;
    }

    private static bool[] IgnoredMask(CsvOptions options, string[] names, int target)
    {
        bool[] ignored = new bool[names.Length];
        foreach (string name in options.IgnoredColumns)
        {
            int index = Array.IndexOf(names, name.Trim());
            if (index < 0 || index == target)
            {
                throw new ArgumentException(
                    index < 0 ? $"options.IgnoredColumns names '{name}', which is not a column; the columns are {string.Join(", ", names)}." : $"options.IgnoredColumns names the target column '{name}'.",
                    nameof(options));
            }

            ignored[index] = true;
        }

        return ignored;
    }

    private static Dataset ClassificationDataset(
        float[] inputs, int featureCount, string[] texts, IReadOnlyList<string>? given, bool numeric,
        List<(List<string> Fields, int Line)> rows, int target, string[] names, string source, out IReadOnlyList<string>? labels)
    {
        string[] classes = given?.ToArray() ?? (numeric
            ? texts.Distinct(StringComparer.Ordinal).OrderBy(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)).ThenBy(t => t, StringComparer.Ordinal).ToArray()
            : texts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classes.Length; i++)
        {
            if (!index.TryAdd(classes[i], i))
            {
                throw new ArgumentException($"options.ClassLabels holds '{classes[i]}' twice.", "options");
            }
        }

        float[] targets = new float[texts.Length];
        for (int r = 0; r < texts.Length; r++)
        {
            if (!index.TryGetValue(texts[r], out int label))
            {
                throw Error(source, rows[r].Line, target, names, $"the class label '{texts[r]}' is not one of options.ClassLabels ({string.Join(", ", classes)})");
            }

            targets[r] = label;
        }

        labels = classes;
        return new Dataset(Tensor.FromArray(inputs, texts.Length, featureCount), Tensor.FromArray(targets, texts.Length));
    }

    private static Dataset RegressionDataset(
        float[] inputs, int featureCount, string[] texts, List<(List<string> Fields, int Line)> rows, int target, string[] names, string source, out IReadOnlyList<string>? labels)
    {
        float[] targets = new float[texts.Length];
        for (int r = 0; r < texts.Length; r++)
        {
            targets[r] = ParseNumber(texts[r], source, rows[r].Line, target, names);
        }

        labels = null;
        return new Dataset(Tensor.FromArray(inputs, texts.Length, featureCount), Tensor.FromArray(targets, texts.Length, 1));
    }

    private static float ParseNumber(string text, string source, int line, int column, string[] names)
    {
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw Error(source, line, column, names, "the value is missing");
        }

        if (!TryParseNumber(trimmed, out float value))
        {
            throw Error(source, line, column, names, $"'{trimmed}' is not a number");
        }

        if (!float.IsFinite(value))
        {
            throw Error(source, line, column, names, $"'{trimmed}' is not a finite float");
        }

        return value;
    }

    private static bool TryParseNumber(string text, out float value) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static InvalidDataException Error(string source, int line, int column, string[] names, string what) =>
        new($"{source}: line {line}, column {column + 1} ('{names[column]}'): {what}.");
}
