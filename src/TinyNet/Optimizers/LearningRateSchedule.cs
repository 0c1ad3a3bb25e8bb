namespace TinyNet.Optimizers;

/// <summary>
/// A learning rate as a function of the step count alone: <see cref="GetLearningRate"/>(s) is
/// the rate of the update that follows s completed steps (s = 0 for the first update). Being a
/// pure function of the step, a schedule needs no state to resume.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for the update after <paramref name="step"/> completed steps.</summary>
    /// <param name="step">The steps completed so far; zero or positive.</param>
    /// <returns>The learning rate, finite and zero or positive.</returns>
    public float GetLearningRate(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return Rate(step);
    }

    /// <summary>The rate at a checked, non-negative step.</summary>
    /// <param name="step">The steps completed so far.</param>
    /// <returns>The learning rate.</returns>
    protected abstract float Rate(long step);

    /// <summary>Throws unless <paramref name="value"/> is finite and zero or positive.</summary>
    /// <param name="value">The value.</param>
    /// <param name="argument">The argument's name.</param>
    protected static void CheckRate(float value, string argument)
    {
        if (!(value >= 0f) || float.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(argument, value, $"{argument} must be finite and zero or positive.");
        }
    }
}
