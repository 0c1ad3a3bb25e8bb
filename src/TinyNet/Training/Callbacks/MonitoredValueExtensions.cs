namespace TinyNet.Training.Callbacks;

/// <summary>Reading a <see cref="Monitor"/> from a context.</summary>
internal static class MonitoredValueExtensions
{
    /// <summary>The monitored value at this epoch's end; throws when the run does not produce it.</summary>
    public static float Read(this MonitoredValue monitor, TrainingContext context)
    {
        float? value = monitor switch
        {
            MonitoredValue.TrainLoss => context.EpochLoss,
            MonitoredValue.TrainAccuracy => context.EpochAccuracy,
            MonitoredValue.ValidationLoss => context.ValidationLoss,
            MonitoredValue.ValidationAccuracy => context.ValidationAccuracy,
            _ => null,
        };
        return value ?? throw new InvalidOperationException(
            $"The monitored value {monitor} is not available at the end of epoch {context.Epoch}: " +
            (monitor is MonitoredValue.ValidationLoss or MonitoredValue.ValidationAccuracy ? "pass a validation set to Fit" : "use a classification loss") + ".");
    }

    /// <summary>The usual direction: losses go down, accuracies up.</summary>
    public static MonitorMode DefaultMode(this MonitoredValue monitor) =>
        monitor is MonitoredValue.TrainAccuracy or MonitoredValue.ValidationAccuracy ? MonitorMode.Max : MonitorMode.Min;
}
