using System.Diagnostics;
using System.Globalization;

namespace TinyNet.Training.Callbacks;

/// <summary>
/// Shows progress. On a terminal, one line updated in place at most ten times a second:
/// <c>epoch 2/3 | batch 7/15 | step 22/45 | loss 0.4123 | 12,345 samples/s | ETA 0:03</c>. When the
/// output is redirected, one plain line per epoch. Totals come from the plan.
/// </summary>
public sealed class ProgressReporter : TrainingCallback
{
    private static readonly long s_refreshTicks = Stopwatch.Frequency / 10;
    private readonly TextWriter _writer;
    private readonly bool _inPlace;
    private long _started;
    private long _lastDraw;
    private long _samples;

    /// <summary>Creates the reporter.</summary>
    /// <param name="writer">Where to write; by default the console.</param>
    /// <param name="inPlace">Update one line in place; by default, when the console output is not redirected.</param>
    public ProgressReporter(TextWriter? writer = null, bool? inPlace = null)
    {
        _writer = writer ?? Console.Out;
        _inPlace = inPlace ?? (writer is null && !Console.IsOutputRedirected);
    }

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.IsPrimary)
        {
            return; // With data parallelism, rank 0 alone prints and writes.
        }

        _started = Stopwatch.GetTimestamp();
        _lastDraw = 0;
        _samples = 0;
    }

    /// <inheritdoc/>
    public override void OnIterationEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.IsPrimary)
        {
            return; // With data parallelism, rank 0 alone prints and writes.
        }

        _samples += context.BatchSize;
        long now = Stopwatch.GetTimestamp();
        if (_inPlace && now - _lastDraw >= s_refreshTicks)
        {
            _lastDraw = now;
            _writer.Write("\r" + Line(context, now) + "   ");
        }
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.IsPrimary)
        {
            return; // With data parallelism, rank 0 alone prints and writes.
        }

        string line = Line(context, Stopwatch.GetTimestamp());
        if (context.ValidationLoss is float validationLoss)
        {
            line += string.Create(CultureInfo.InvariantCulture, $" | val loss {validationLoss:F4}");
        }

        if (context.ValidationAccuracy is float validationAccuracy)
        {
            line += string.Create(CultureInfo.InvariantCulture, $" | val acc {validationAccuracy:P1}");
        }

        line += MetricsText(context.EpochMetrics, string.Empty) + MetricsText(context.ValidationMetrics, "val ");
        _writer.WriteLine((_inPlace ? "\r" : string.Empty) + line);
    }

    /// <summary>" | f1 0.9512 | rmse 0.1200" for the metrics given, each name after <paramref name="prefix"/>.</summary>
    private static string MetricsText(IReadOnlyDictionary<string, float>? metrics, string prefix) =>
        metrics is null ? string.Empty : string.Concat(metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $" | {prefix}{m.Key} {m.Value:F4}")));

    /// <summary>The progress line for the current position.</summary>
    internal string Line(TrainingContext context, long now)
    {
        TrainingPlan plan = context.Plan;
        double seconds = Math.Max(Stopwatch.GetElapsedTime(_started, now).TotalSeconds, 1e-9);
        double rate = _samples / seconds;
        double fraction = plan.TotalIterations == 0 ? 1 : (double)context.Iteration / plan.TotalIterations;
        TimeSpan eta = fraction > 0 ? TimeSpan.FromSeconds(seconds * (1 - fraction) / fraction) : TimeSpan.Zero;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {context.Epoch}/{plan.EpochsStarted} | batch {context.Batch}/{plan.BatchesPerEpoch} | step {context.Step}/{plan.TotalSteps} | loss {context.Loss:F4} | {rate:N0} samples/s | ETA {(int)eta.TotalMinutes}:{eta.Seconds:D2}");
    }
}
