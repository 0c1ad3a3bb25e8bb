using TinyNet.Kernels;

namespace TinyNet.Losses;

/// <summary>
/// Binary cross-entropy on logits, averaged over every element, as PyTorch's
/// <c>BCEWithLogitsLoss</c>: the sigmoid is fused in, in the stable form
/// max(x, 0) - x y + log(1 + e^-|x|), so logits of +-1000 give finite losses and gradients.
/// </summary>
public sealed class BinaryCrossEntropyWithLogits : Loss
{
    /// <summary>Checks that the target has the prediction's shape.</summary>
    /// <param name="prediction">Logits, any shape.</param>
    /// <param name="target">Probabilities in [0, 1], the prediction's shape.</param>
    protected override void CheckShapes(Tensor prediction, Tensor target) => RequireSameShape(prediction, target);

    /// <inheritdoc/>
    protected override double Compute(Tensor prediction, Tensor target, Tensor gradient)
    {
        int count = Math.Max(prediction.Length, 1);
        return LossKernels.BinaryCrossEntropyWithLogits(prediction.AsSpan(), target.AsSpan(), gradient.AsSpan(), count) / count;
    }
}
