namespace TinyNet.Training;

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>Every planned epoch ran.</summary>
    Completed,

    /// <summary><see cref="TrainerOptions.MaxSteps"/> was reached.</summary>
    MaxSteps,

    /// <summary>A callback asked to stop (<see cref="TrainingContext.StopTraining"/>).</summary>
    StoppedByCallback,

    /// <summary>The cancellation token was cancelled.</summary>
    Cancelled,

    /// <summary>The loss was NaN or infinite (see <see cref="Callbacks.TerminateOnNonFiniteLoss"/>).</summary>
    NonFiniteLoss,
}
