using TinyNet.Training.Callbacks;

namespace TinyNet.Training;

/// <summary>How a run of <see cref="Trainer.Fit"/> ended, what it did, and its history.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(StopReason stopReason, string stopMessage, int epochsCompleted, long iterationsCompleted, long stepsCompleted, History history)
    {
        StopReason = stopReason;
        StopMessage = stopMessage;
        EpochsCompleted = epochsCompleted;
        IterationsCompleted = iterationsCompleted;
        StepsCompleted = stepsCompleted;
        History = history;
    }

    /// <summary>Why training ended.</summary>
    public StopReason StopReason { get; }

    /// <summary>Why, in words (a callback's reason, the iteration of a NaN loss, ...).</summary>
    public string StopMessage { get; }

    /// <summary>Epochs that ran all their batches.</summary>
    public int EpochsCompleted { get; }

    /// <summary>Iterations (forward and backward passes) completed.</summary>
    public long IterationsCompleted { get; }

    /// <summary>Steps (optimizer updates) applied.</summary>
    public long StepsCompleted { get; }

    /// <summary>The per-epoch and per-step record of the run.</summary>
    public History History { get; }

    /// <summary>Says how training ended and the counts.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() =>
        $"{StopReason} ({StopMessage}): {EpochsCompleted} epochs, {IterationsCompleted} iterations, {StepsCompleted} steps completed";
}
