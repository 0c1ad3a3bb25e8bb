using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>The hyperbolic tangent; its backward uses the output: 1 - t².</summary>
public sealed class Tanh : ElementwiseLayer
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        Elementwise.Map(default(TanhOperator), input, output);

    /// <inheritdoc/>
    protected override void ApplyGradient(
        ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, Span<float> gradInput) =>
        Elementwise.Map(default(TanhGradientOperator), output, gradOutput, gradInput);

    /// <summary>Reads as <c>Tanh()</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() => "Tanh()";
}
