namespace TinyNet.Training;

/// <summary>One step in a <see cref="Callbacks.History"/>.</summary>
/// <param name="Step">The step, from 1.</param>
/// <param name="Epoch">The epoch it belongs to.</param>
/// <param name="Loss">The mean loss over the samples of its window.</param>
/// <param name="LearningRate">The learning rate it used.</param>
public readonly record struct StepRecord(long Step, int Epoch, float Loss, float LearningRate);
