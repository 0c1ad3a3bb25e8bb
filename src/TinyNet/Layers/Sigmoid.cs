using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>The logistic sigmoid 1 / (1 + e^-x); its backward uses the output: s (1 - s).</summary>
public sealed class Sigmoid : ElementwiseLayer
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        Elementwise.Map(default(SigmoidOperator), input, output);

    /// <inheritdoc/>
    protected override void ApplyGradient(
        ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, Span<float> gradInput) =>
        Elementwise.Map(default(SigmoidGradientOperator), output, gradOutput, gradInput);

    /// <summary>Reads as <c>Sigmoid()</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() => "Sigmoid()";
}
