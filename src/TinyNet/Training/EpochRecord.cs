namespace TinyNet.Training;

/// <summary>One epoch in a <see cref="Callbacks.History"/>.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">The mean training loss over the epoch's samples.</param>
/// <param name="TrainAccuracy">The training accuracy, for classification losses.</param>
/// <param name="ValidationLoss">The validation loss, when a validation set was given.</param>
/// <param name="ValidationAccuracy">The validation accuracy, for classification losses.</param>
/// <param name="LearningRate">The learning rate of the epoch's last step.</param>
/// <param name="Steps">Steps completed by the end of the epoch, in the whole run.</param>
/// <param name="TrainMetrics">The metrics of <see cref="TrainerOptions.Metrics"/> over the epoch's training batches, by name; null when none were asked for.</param>
/// <param name="ValidationMetrics">The same metrics on the validation set; null without one or without metrics.</param>
public readonly record struct EpochRecord(
    int Epoch,
    float TrainLoss,
    float? TrainAccuracy,
    float? ValidationLoss,
    float? ValidationAccuracy,
    float LearningRate,
    long Steps,
    IReadOnlyDictionary<string, float>? TrainMetrics = null,
    IReadOnlyDictionary<string, float>? ValidationMetrics = null);
