using TinyNet.Kernels;

namespace TinyNet.Losses;

/// <summary>The mean of (prediction - target)² over every element, as PyTorch's <c>MSELoss</c>.</summary>
public sealed class MeanSquaredError : Loss
{
    /// <summary>Checks that the target has the prediction's shape.</summary>
    /// <param name="prediction">Any shape.</param>
    /// <param name="target">The prediction's shape.</param>
    protected override void CheckShapes(Tensor prediction, Tensor target) => RequireSameShape(prediction, target);

    /// <inheritdoc/>
    protected override double Compute(Tensor prediction, Tensor target, Tensor gradient)
    {
        int count = Math.Max(prediction.Length, 1);
        return LossKernels.SquaredError(prediction.AsSpan(), target.AsSpan(), gradient.AsSpan(), count) / count;
    }
}
