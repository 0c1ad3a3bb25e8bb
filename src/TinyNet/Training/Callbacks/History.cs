namespace TinyNet.Training.Callbacks;

/// <summary>
/// Records every epoch (losses, accuracies, learning rate) and every step (loss, learning rate).
/// The lists are sized from the plan when training begins, so recording allocates nothing per
/// step. Every <see cref="Trainer"/> keeps one for <see cref="TrainingResult.History"/>; it is
/// cleared when training begins.
/// </summary>
public sealed class History : TrainingCallback
{
    private readonly List<EpochRecord> _epochs = [];
    private readonly List<StepRecord> _steps = [];

    /// <summary>One record per epoch ended.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>One record per step taken.</summary>
    public IReadOnlyList<StepRecord> Steps => _steps;

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _epochs.Clear();
        _steps.Clear();
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
        _epochs.Add(new EpochRecord(
            context.Epoch, context.EpochLoss, context.EpochAccuracy, context.ValidationLoss, context.ValidationAccuracy, context.LearningRate, context.Step));
    }
}
