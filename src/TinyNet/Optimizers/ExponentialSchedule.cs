namespace TinyNet.Optimizers;

/// <summary>lr * gamma^step: the rate shrinks by gamma every step (PyTorch's ExponentialLR, counted in steps).</summary>
public sealed class ExponentialSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="learningRate">The initial rate; finite and zero or positive.</param>
    /// <param name="gamma">The factor per step, in [0, 1].</param>
    public ExponentialSchedule(float learningRate, float gamma)
    {
        CheckRate(learningRate, nameof(learningRate));
        if (!(gamma >= 0f && gamma <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in [0, 1].");
        }

        LearningRate = learningRate;
        Gamma = gamma;
    }

    /// <summary>The initial rate.</summary>
    public float LearningRate { get; }

    /// <summary>The factor per step.</summary>
    public float Gamma { get; }

    /// <inheritdoc/>
    protected override float Rate(long step) => (float)(LearningRate * Math.Pow(Gamma, step));
}
