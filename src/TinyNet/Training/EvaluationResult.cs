using TinyNet.Metrics;

namespace TinyNet.Training;

/// <summary>What <see cref="Trainer.Evaluate"/> measured on a dataset.</summary>
/// <param name="Loss">The mean loss over the samples.</param>
/// <param name="Accuracy">The accuracy, for classification losses; otherwise null.</param>
/// <param name="Metrics">Every metric of the loss (<see cref="MetricNames"/>), by name.</param>
/// <param name="ConfusionMatrix">For classification losses, the counts of (actual, predicted) classes; otherwise null.</param>
public sealed record EvaluationResult(float Loss, float? Accuracy, IReadOnlyDictionary<string, float> Metrics, ConfusionMatrix? ConfusionMatrix);
