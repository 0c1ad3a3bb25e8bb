using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>The Gaussian error linear unit x * Phi(x), exact by default, as PyTorch's <c>nn.GELU</c>.</summary>
public sealed class Gelu : ElementwiseLayer
{
    /// <summary>Creates the layer.</summary>
    /// <param name="approximation">Exact (the default) or the tanh approximation.</param>
    public Gelu(GeluApproximation approximation = GeluApproximation.None)
    {
        if (!Enum.IsDefined(approximation))
        {
            throw new ArgumentOutOfRangeException(nameof(approximation), approximation, "Unknown GELU approximation.");
        }

        Approximation = approximation;
    }

    /// <summary>Exact or the tanh approximation.</summary>
    public GeluApproximation Approximation { get; }

    /// <summary>Reads as <c>Gelu(approximation: None)</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() => $"Gelu(approximation: {Approximation})";

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        Elementwise.Map(new GeluOperator(Approximation == GeluApproximation.Tanh), input, output);

    /// <inheritdoc/>
    protected override void ApplyGradient(
        ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, Span<float> gradInput) =>
        Elementwise.Map(new GeluGradientOperator(Approximation == GeluApproximation.Tanh), input, gradOutput, gradInput);
}
