using TinyNet.Training;

/// <summary>Stops training once an epoch's mean loss is below a target.</summary>
public sealed class StopBelowLoss(float target) : TrainingCallback
{
    public override void OnEpochEnd(TrainingContext context)
    {
        if (context.EpochLoss < target)
        {
            context.StopTraining($"epoch {context.Epoch} loss {context.EpochLoss:F4} is below {target}");
        }
    }
}
