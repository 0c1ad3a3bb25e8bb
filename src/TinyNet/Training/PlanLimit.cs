namespace TinyNet.Training;

/// <summary>Which limit of a <see cref="TrainingPlan"/> ends training.</summary>
public enum PlanLimit
{
    /// <summary>All the epochs run.</summary>
    Epochs,

    /// <summary><see cref="TrainerOptions.MaxSteps"/> is reached first.</summary>
    MaxSteps,
}
