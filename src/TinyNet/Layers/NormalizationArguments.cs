namespace TinyNet.Layers;

/// <summary>The argument checks the normalization layers share.</summary>
internal static class NormalizationArguments
{
    public static void Check(float epsilon, float? momentum)
    {
        if (!(epsilon > 0f && float.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite and above zero.");
        }

        if (momentum is float m && !(m > 0f && m <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), m, "momentum must be in (0, 1].");
        }
    }
}
