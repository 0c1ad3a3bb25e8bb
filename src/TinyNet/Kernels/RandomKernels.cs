using TinyNet.Data;

namespace TinyNet.Kernels;

/// <summary>Kernels that draw random numbers.</summary>
internal static class RandomKernels
{
    /// <summary>
    /// The mask of inverted dropout: each element is 1 / keepProbability with probability
    /// keepProbability, else 0, so the expected value of input * mask is the input.
    /// </summary>
    public static void FillDropoutMask(ref SplitMix64 random, float keepProbability, Span<float> mask)
    {
        float scale = 1f / keepProbability;
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = random.NextSingle() < keepProbability ? scale : 0f;
        }
    }
}
