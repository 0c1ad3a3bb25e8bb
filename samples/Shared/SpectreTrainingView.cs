using Spectre.Console;
using TinyNet.Data;
using TinyNet.Training;
using TinyNet.Training.Callbacks;

namespace TinyNet.Samples;

/// <summary>
/// The samples' terminal UI, hooked into the trainer only through a callback: an overall
/// progress bar and one for the current epoch, then a table of the epochs. Off a terminal, the
/// plain <see cref="ProgressReporter"/> prints one line per epoch instead.
/// </summary>
public static class SpectreTrainingView
{
    /// <summary>True on a terminal that can redraw; otherwise the sample prints one line per epoch.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Trains with progress bars on a terminal, or with one plain line per epoch elsewhere.</summary>
    public static TrainingResult Fit(Trainer trainer, Dataset train, Dataset validation)
    {
        if (!Interactive)
        {
            var reporter = new ProgressReporter();
            trainer.Callbacks.Add(reporter);
            try
            {
                return trainer.Fit(train, validation);
            }
            finally
            {
                trainer.Callbacks.Remove(reporter);
            }
        }

        TrainingResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var view = new ProgressCallback(progress);
                trainer.Callbacks.Add(view);
                try
                {
                    result = trainer.Fit(train, validation);
                }
                finally
                {
                    trainer.Callbacks.Remove(view);
                }
            });
        return result!;
    }

    /// <summary>Prints the epochs as a table: all of them when there are few, else every n-th and the last.</summary>
    public static void PrintEpochTable(History history, bool classification)
    {
        var table = new Table().Title("Epochs").AddColumns("epoch", "steps", "train loss", "validation loss");
        if (classification)
        {
            table.AddColumns("train accuracy", "validation accuracy");
        }

        IReadOnlyList<string> metrics = history.Epochs.Count > 0 && history.Epochs[0].TrainMetrics is { } first ? [.. first.Keys] : [];
        foreach (string name in metrics)
        {
            table.AddColumns($"train {name}", $"validation {name}");
        }

        table.AddColumn("learning rate");
        int every = Math.Max(1, history.Epochs.Count / 15);
        for (int i = 0; i < history.Epochs.Count; i++)
        {
            if (i % every != 0 && i != history.Epochs.Count - 1)
            {
                continue;
            }

            EpochRecord epoch = history.Epochs[i];
            var cells = new List<string> { $"{epoch.Epoch}", $"{epoch.Steps}", $"{epoch.TrainLoss:F4}", $"{epoch.ValidationLoss:F4}" };
            if (classification)
            {
                cells.Add($"{epoch.TrainAccuracy:P1}");
                cells.Add($"{epoch.ValidationAccuracy:P1}");
            }

            foreach (string name in metrics)
            {
                cells.Add($"{epoch.TrainMetrics![name]:F4}");
                cells.Add(epoch.ValidationMetrics is { } validation ? $"{validation[name]:F4}" : string.Empty);
            }

            cells.Add($"{epoch.LearningRate:G3}");
            table.AddRow([.. cells]);
        }

        AnsiConsole.Write(table);
    }

    private sealed class ProgressCallback(ProgressContext progress) : TrainingCallback
    {
        private ProgressTask? _overall;
        private ProgressTask? _epoch;

        public override void OnTrainBegin(TrainingContext context) =>
            _overall = progress.AddTask("training", maxValue: context.Plan.TotalIterations);

        public override void OnEpochBegin(TrainingContext context) =>
            _epoch = progress.AddTask($"epoch {context.Epoch}/{context.Plan.EpochsStarted}", maxValue: context.Plan.BatchesPerEpoch);

        public override void OnIterationEnd(TrainingContext context)
        {
            _epoch?.Increment(1);
            _overall?.Increment(1);
        }

        public override void OnStepEnd(TrainingContext context)
        {
            if (_overall is not null)
            {
                _overall.Description = $"step {context.Step}/{context.Plan.TotalSteps} | loss {context.Loss:F4}";
            }
        }

        public override void OnEpochEnd(TrainingContext context) => _epoch?.StopTask();

        public override void OnTrainEnd(TrainingContext context) => _overall?.StopTask();
    }
}
