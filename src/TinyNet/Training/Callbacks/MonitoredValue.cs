namespace TinyNet.Training.Callbacks;

/// <summary>A per-epoch value a callback can watch.</summary>
public enum MonitoredValue
{
    /// <summary>The mean training loss of the epoch.</summary>
    TrainLoss,

    /// <summary>The training accuracy of the epoch (classification losses).</summary>
    TrainAccuracy,

    /// <summary>The validation loss (needs a validation set).</summary>
    ValidationLoss,

    /// <summary>The validation accuracy (needs a validation set and a classification loss).</summary>
    ValidationAccuracy,
}
