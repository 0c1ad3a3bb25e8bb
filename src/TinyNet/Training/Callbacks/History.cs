using System.Text.Json;

namespace TinyNet.Training.Callbacks;

/// <summary>
/// Records every epoch (losses, accuracies, learning rate) and every step (loss, learning rate).
/// The lists are sized from the plan when training begins, so recording allocates nothing per
/// step. Every <see cref="Trainer"/> keeps one for <see cref="TrainingResult.History"/>; it is
/// cleared when training begins.
/// </summary>
public sealed class History : TrainingCallback, ICheckpointState
{
    private readonly List<EpochRecord> _epochs = [];
    private readonly List<StepRecord> _steps = [];

    /// <summary>One record per epoch ended (an epoch resumed from a checkpoint is recorded once, when it ends).</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>One record per step taken.</summary>
    public IReadOnlyList<StepRecord> Steps => _steps;

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Resumed)
        {
            _epochs.Clear();
            _steps.Clear();
        }

        _epochs.Capacity = Math.Max(_epochs.Capacity, context.Plan.EpochsStarted);
        _steps.Capacity = (int)Math.Min(Math.Max(_steps.Capacity, context.Plan.TotalSteps), int.MaxValue / 2);
    }

    /// <inheritdoc/>
    public override void OnStepEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _steps.Add(new StepRecord(context.Step, context.Epoch, context.Loss, context.LearningRate));
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // A run stopped mid-epoch records that epoch as far as it went; when a checkpoint resumes
        // it, the finished epoch's record replaces the partial one.
        if (_epochs.Count > 0 && _epochs[^1].Epoch == context.Epoch)
        {
            _epochs.RemoveAt(_epochs.Count - 1);
        }

        _epochs.Add(new EpochRecord(
            context.Epoch,
            context.EpochLoss,
            context.EpochAccuracy,
            context.ValidationLoss,
            context.ValidationAccuracy,
            context.LearningRate,
            context.Step,
            context.EpochMetrics,
            context.ValidationMetrics));
    }

    void ICheckpointState.Save(string prefix, IDictionary<string, string> metadata, IList<KeyValuePair<string, Tensor>> tensors)
    {
        metadata[prefix + ".epochs"] = JsonSerializer.Serialize(_epochs);
        metadata[prefix + ".steps"] = JsonSerializer.Serialize(_steps);
    }

    Action ICheckpointState.Load(string prefix, IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyList<KeyValuePair<string, Tensor>> modelState)
    {
        List<EpochRecord> epochs = JsonSerializer.Deserialize<List<EpochRecord>>(metadata[prefix + ".epochs"]) ?? [];
        List<StepRecord> steps = JsonSerializer.Deserialize<List<StepRecord>>(metadata[prefix + ".steps"]) ?? [];
        return () =>
        {
            _epochs.Clear();
            _epochs.AddRange(epochs);
            _steps.Clear();
            _steps.AddRange(steps);
        };
    }
}
