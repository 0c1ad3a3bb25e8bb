namespace TinyNet.Optimizers;

/// <summary>lr * gamma^floor(step / stepSize): the rate drops by gamma every stepSize steps (PyTorch's StepLR, counted in steps).</summary>
public sealed class StepDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="learningRate">The initial rate; finite and zero or positive.</param>
    /// <param name="stepSize">The steps between drops; at least 1.</param>
    /// <param name="gamma">The factor of each drop, in [0, 1].</param>
    public StepDecaySchedule(float learningRate, int stepSize, float gamma = 0.1f)
    {
        CheckRate(learningRate, nameof(learningRate));
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        if (!(gamma >= 0f && gamma <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in [0, 1].");
        }

        LearningRate = learningRate;
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>The initial rate.</summary>
    public float LearningRate { get; }

    /// <summary>The steps between drops.</summary>
    public int StepSize { get; }

    /// <summary>The factor of each drop.</summary>
    public float Gamma { get; }

    /// <inheritdoc/>
    protected override float Rate(long step) => (float)(LearningRate * Math.Pow(Gamma, step / StepSize));
}
