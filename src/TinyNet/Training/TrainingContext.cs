using TinyNet.Layers;

namespace TinyNet.Training;

/// <summary>
/// What a callback sees: the plan and where training stands. Numbers count from 1: during
/// epoch 2, <see cref="Epoch"/> = 2; in the hooks of the 7th batch of an epoch, <see cref="Batch"/>
/// = 7; <see cref="Iteration"/> and <see cref="Step"/> count across the whole run (in the step
/// hooks of the 12th update, <see cref="Step"/> = 12). All are 0 in OnTrainBegin; at OnTrainEnd
/// they hold what was done. One instance lives for a whole run and is updated in place.
/// </summary>
public sealed class TrainingContext
{
    internal TrainingContext(TrainingPlan plan, Layer model, Optimizers.Optimizer optimizer, IReadOnlyList<string> metricNames)
    {
        Plan = plan;
        Model = model;
        Optimizer = optimizer;
        MetricNames = metricNames;
    }

    /// <summary>The plan of this run.</summary>
    public TrainingPlan Plan { get; }

    /// <summary>The model being trained.</summary>
    public Layer Model { get; }

    /// <summary>The optimizer.</summary>
    public Optimizers.Optimizer Optimizer { get; }

    /// <summary>The current epoch, from 1.</summary>
    public int Epoch { get; internal set; }

    /// <summary>The current batch within its epoch, from 1.</summary>
    public int Batch { get; internal set; }

    /// <summary>Iterations begun so far in the run; the current one's number.</summary>
    public long Iteration { get; internal set; }

    /// <summary>Steps begun so far in the run; in step hooks, the current step's number.</summary>
    public long Step { get; internal set; }

    /// <summary>Samples in the current batch.</summary>
    public int BatchSize { get; internal set; }

    /// <summary>The mean loss of the current batch (after its forward pass; in OnIterationEnd and later).</summary>
    public float Loss { get; internal set; }

    /// <summary>The learning rate of the current (or last) step.</summary>
    public float LearningRate { get; internal set; }

    /// <summary>The mean training loss of the current epoch so far, weighted by samples.</summary>
    public float EpochLoss { get; internal set; }

    /// <summary>The training accuracy of the current epoch so far, for classification losses; otherwise null.</summary>
    public float? EpochAccuracy { get; internal set; }

    /// <summary>The validation loss of the epoch, in OnEpochEnd when a validation set was given; otherwise null.</summary>
    public float? ValidationLoss { get; internal set; }

    /// <summary>The validation accuracy of the epoch, in OnEpochEnd, for classification losses; otherwise null.</summary>
    public float? ValidationAccuracy { get; internal set; }

    /// <summary>The metrics asked for in <see cref="TrainerOptions.Metrics"/>, in order.</summary>
    public IReadOnlyList<string> MetricNames { get; }

    /// <summary>The metrics of the epoch's training batches, by name, in OnEpochEnd when any were asked for; otherwise null.</summary>
    public IReadOnlyDictionary<string, float>? EpochMetrics { get; internal set; }

    /// <summary>The metrics on the validation set, by name, in OnEpochEnd with a validation set and metrics; otherwise null.</summary>
    public IReadOnlyDictionary<string, float>? ValidationMetrics { get; internal set; }

    /// <summary>
    /// True on the process that prints and writes files: always without data parallelism, and on
    /// rank 0 with it. The built-in callbacks that print or write (ProgressReporter, CsvLogger,
    /// Checkpoint) do nothing elsewhere; every rank's callbacks see the same counts.
    /// </summary>
    public bool IsPrimary { get; internal set; } = true;

    /// <summary>True when this run continues from a checkpoint (callbacks keep their loaded state).</summary>
    public bool Resumed { get; internal set; }

    /// <summary>True once a stop has been asked for.</summary>
    public bool StopRequested => RequestedStop is not null;

    /// <summary>Why a stop was asked for, or null.</summary>
    public string? StopMessage { get; private set; }

    internal StopReason? RequestedStop { get; private set; }

    /// <summary>
    /// Asks the trainer to stop. It stops at the next boundary: asked during an iteration's hooks,
    /// the step of that iteration's window is not taken (its gradients are discarded); asked in a
    /// step or epoch hook, the run ends after that hook.
    /// </summary>
    /// <param name="reason">Why, in words; it becomes <see cref="TrainingResult.StopMessage"/>.</param>
    public void StopTraining(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Stop(StopReason.StoppedByCallback, reason);
    }

    /// <summary>Asks to stop for a given reason; the first request wins.</summary>
    internal void Stop(StopReason reason, string message)
    {
        if (RequestedStop is null)
        {
            RequestedStop = reason;
            StopMessage = message;
        }
    }

    /// <summary>Where training stands, for messages: "epoch 2, batch 7, iteration 22, step 21".</summary>
    internal string Position() => $"epoch {Epoch}, batch {Batch}, iteration {Iteration}, step {Step}";
}
