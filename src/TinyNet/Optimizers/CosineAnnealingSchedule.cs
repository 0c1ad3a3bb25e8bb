namespace TinyNet.Optimizers;

/// <summary>
/// Cosine annealing from lr down to minimum over totalSteps, then minimum:
/// minimum + (lr - minimum) (1 + cos(pi * step / totalSteps)) / 2 (PyTorch's CosineAnnealingLR
/// without restarts, counted in steps).
/// </summary>
public sealed class CosineAnnealingSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="learningRate">The initial rate; finite and zero or positive.</param>
    /// <param name="totalSteps">The steps to anneal over; at least 1.</param>
    /// <param name="minimumLearningRate">The final rate; finite, zero or positive, at most the initial rate.</param>
    public CosineAnnealingSchedule(float learningRate, long totalSteps, float minimumLearningRate = 0f)
    {
        CheckRate(learningRate, nameof(learningRate));
        CheckRate(minimumLearningRate, nameof(minimumLearningRate));
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        if (minimumLearningRate > learningRate)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumLearningRate), minimumLearningRate, $"The minimum rate must not exceed the initial rate {learningRate}.");
        }

        LearningRate = learningRate;
        TotalSteps = totalSteps;
        MinimumLearningRate = minimumLearningRate;
    }

    /// <summary>The initial rate.</summary>
    public float LearningRate { get; }

    /// <summary>The steps to anneal over.</summary>
    public long TotalSteps { get; }

    /// <summary>The final rate.</summary>
    public float MinimumLearningRate { get; }

    /// <inheritdoc/>
    protected override float Rate(long step)
    {
        if (step >= TotalSteps)
        {
            return MinimumLearningRate;
        }

        double cosine = (1 + Math.Cos(Math.PI * step / TotalSteps)) / 2;
        return (float)(MinimumLearningRate + ((LearningRate - MinimumLearningRate) * cosine));
    }
}
