using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>The rectified linear unit, max(x, 0).</summary>
public sealed class ReLU : ElementwiseLayer
{
    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<float> input, Span<float> output) =>
        Elementwise.Map(default(ReluOperator), input, output);

    /// <inheritdoc/>
    protected override void ApplyGradient(
        ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> gradOutput, Span<float> gradInput) =>
        Elementwise.Map(default(ReluGradientOperator), input, gradOutput, gradInput);

    /// <summary>Reads as <c>ReLU()</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() => "ReLU()";
}
