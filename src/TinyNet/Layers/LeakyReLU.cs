using System.Globalization;
using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>The leaky rectified linear unit: x where x &gt; 0, else negativeSlope * x.</summary>
public sealed class LeakyReLU : ElementwiseLayer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="negativeSlope">The slope for negative inputs; finite (PyTorch's default is 0.01).</param>
    public LeakyReLU(float negativeSlope = 0.01f)
    {
        if (!float.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "The negative slope must be finite.");
        }

        NegativeSlope = negativeSlope;
    }

    /// <summary>The slope for negative inputs.</summary>
    public float NegativeSlope { get; }

    /// <summary>Reads as <c>LeakyReLU(negativeSlope: 0.01)</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() => $"LeakyReLU(negativeSlope: {NegativeSlope.ToString(CultureInfo.InvariantCulture)})";

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        Elementwise.Map(new LeakyReluOperator(NegativeSlope), input, output);

    /// <inheritdoc/>
    protected override void ApplyGradient(
        ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, Span<float> gradInput) =>
        Elementwise.Map(new LeakyReluGradientOperator(NegativeSlope), input, gradOutput, gradInput);
}
