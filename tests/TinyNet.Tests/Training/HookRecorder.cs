using TinyNet.Training;

namespace TinyNet.Tests.Training;

/// <summary>Records every hook with the counters it saw, as "Hook e/b/i/s".</summary>
internal sealed class HookRecorder : TrainingCallback
{
    public List<string> Events { get; } = [];

    public List<(string Hook, int Epoch, int Batch, long Iteration, long Step, int BatchSize)> Records { get; } = [];

    public override void OnTrainBegin(TrainingContext context) => Record("TrainBegin", context);

    public override void OnEpochBegin(TrainingContext context) => Record("EpochBegin", context);

    public override void OnIterationBegin(TrainingContext context) => Record("IterationBegin", context);

    public override void OnIterationEnd(TrainingContext context) => Record("IterationEnd", context);

    public override void OnStepBegin(TrainingContext context) => Record("StepBegin", context);

    public override void OnStepEnd(TrainingContext context) => Record("StepEnd", context);

    public override void OnEpochEnd(TrainingContext context) => Record("EpochEnd", context);

    public override void OnTrainEnd(TrainingContext context) => Record("TrainEnd", context);

    public int Count(string hook) => Records.Count(r => r.Hook == hook);

    private void Record(string hook, TrainingContext context)
    {
        Events.Add(hook);
        Records.Add((hook, context.Epoch, context.Batch, context.Iteration, context.Step, context.BatchSize));
    }
}
