namespace TinyNet.Optimizers;

/// <summary>
/// Linear warm-up in front of another schedule: for the first warmupSteps steps the rate climbs
/// linearly to the other schedule's first rate, (step + 1) / warmupSteps * after(0); then the
/// other schedule runs from its own step 0: after(step - warmupSteps).
/// </summary>
public sealed class WarmupSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="warmupSteps">The steps of warm-up; at least 1.</param>
    /// <param name="after">The schedule that follows the warm-up.</param>
    public WarmupSchedule(long warmupSteps, LearningRateSchedule after)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(warmupSteps, 1);
        ArgumentNullException.ThrowIfNull(after);
        WarmupSteps = warmupSteps;
        After = after;
    }

    /// <summary>The steps of warm-up.</summary>
    public long WarmupSteps { get; }

    /// <summary>The schedule that follows the warm-up.</summary>
    public LearningRateSchedule After { get; }

    /// <inheritdoc/>
    protected override float Rate(long step) =>
        step < WarmupSteps
            ? (float)(After.GetLearningRate(0) * (double)(step + 1) / WarmupSteps)
            : After.GetLearningRate(step - WarmupSteps);
}
