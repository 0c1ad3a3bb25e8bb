namespace TinyNet.Training.Callbacks;

/// <summary>
/// Stops training at the first NaN or infinite batch loss, naming the iteration. It asks in
/// OnIterationEnd, so the step of that iteration's window is never taken: the bad gradients do
/// not reach the weights. The result's <see cref="TrainingResult.StopReason"/> is
/// <see cref="StopReason.NonFiniteLoss"/>.
/// </summary>
public sealed class TerminateOnNonFiniteLoss : TrainingCallback
{
    /// <inheritdoc/>
    public override void OnIterationEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!float.IsFinite(context.Loss))
        {
            context.Stop(StopReason.NonFiniteLoss, $"the loss was {context.Loss} at iteration {context.Iteration} (epoch {context.Epoch}, batch {context.Batch}); that window's update was not applied");
        }
    }
}
