namespace TinyNet.Training;

/// <summary>
/// Hooks into a <see cref="Trainer"/>'s loop; each does nothing until overridden. They fire in
/// this order: OnTrainBegin; per epoch OnEpochBegin; per batch OnIterationBegin, OnIterationEnd
/// and, when the batch closes a window, OnStepBegin, OnStepEnd; then OnEpochEnd (after
/// validation); finally OnTrainEnd, also when training stops early or is cancelled. A callback
/// stops training by asking (<see cref="TrainingContext.StopTraining"/>), not by throwing; an
/// exception it throws ends training and propagates, with the hook and position named.
/// </summary>
public abstract class TrainingCallback
{
    /// <summary>Before the first epoch; every counter is 0.</summary>
    /// <param name="context">The run's context.</param>
    public virtual void OnTrainBegin(TrainingContext context)
    {
    }

    /// <summary>At the start of an epoch.</summary>
    /// <param name="context">The run's context.</param>
    public virtual void OnEpochBegin(TrainingContext context)
    {
    }

    /// <summary>Before a batch's forward pass.</summary>
    /// <param name="context">The run's context.</param>
    public virtual void OnIterationBegin(TrainingContext context)
    {
    }

    /// <summary>After a batch's backward pass; <see cref="TrainingContext.Loss"/> holds its loss.</summary>
    /// <param name="context">The run's context.</param>
    public virtual void OnIterationEnd(TrainingContext context)
    {
    }

    /// <summary>Before an optimizer update; <see cref="TrainingContext.LearningRate"/> holds its rate.</summary>
    /// <param name="context">The run's context.</param>
    public virtual void OnStepBegin(TrainingContext context)
    {
    }

    /// <summary>After an optimizer update.</summary>
    /// <param name="context">The run's context.</param>
    public virtual void OnStepEnd(TrainingContext context)
    {
    }

    /// <summary>At the end of an epoch, after validation.</summary>
    /// <param name="context">The run's context.</param>
    public virtual void OnEpochEnd(TrainingContext context)
    {
    }

    /// <summary>After the last epoch, or when training stopped early.</summary>
    /// <param name="context">The run's context.</param>
    public virtual void OnTrainEnd(TrainingContext context)
    {
    }
}
