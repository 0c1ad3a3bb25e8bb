using System.Globalization;
using System.Text;

namespace TinyNet.Training.Callbacks;

/// <summary>
/// Writes one CSV row per epoch: epoch, steps, train loss and accuracy, validation loss and
/// accuracy, learning rate, then each metric of <see cref="TrainerOptions.Metrics"/> as
/// <c>train_NAME</c> and <c>validation_NAME</c>. After each epoch the whole file is written to a temporary name and
/// moved into place, so a crash at any moment leaves the previous complete file.
/// </summary>
public sealed class CsvLogger : TrainingCallback
{
    private const string Header = "epoch,steps,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate";
    private readonly StringBuilder _rows = new();

    /// <summary>Creates the logger.</summary>
    /// <param name="path">The CSV file; its folder must exist. It is replaced when training begins.</param>
    public CsvLogger(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The CSV file.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.IsPrimary)
        {
            return; // With data parallelism, rank 0 alone prints and writes.
        }

        _rows.Clear().Append(Header);
        foreach (string side in (string[])["train", "validation"])
        {
            foreach (string name in context.MetricNames)
            {
                _rows.Append(',').Append(side).Append('_').Append(name);
            }
        }

        _rows.Append('\n');
        Write();
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.IsPrimary)
        {
            return; // With data parallelism, rank 0 alone prints and writes.
        }

        _rows.Append(CultureInfo.InvariantCulture, $"{context.Epoch},{context.Step},{context.EpochLoss:R},{Format(context.EpochAccuracy)},{Format(context.ValidationLoss)},{Format(context.ValidationAccuracy)},{context.LearningRate:R}");
        foreach (IReadOnlyDictionary<string, float>? values in new[] { context.EpochMetrics, context.ValidationMetrics })
        {
            foreach (string name in context.MetricNames)
            {
                _rows.Append(',').Append(values is not null && values.TryGetValue(name, out float value) ? Format(value) : string.Empty);
            }
        }

        _rows.Append('\n');
        Write();
    }

    private static string Format(float? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;

    private void Write() =>
        Serialization.AtomicFile.Write(Path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
            writer.Write(_rows);
        });
}
