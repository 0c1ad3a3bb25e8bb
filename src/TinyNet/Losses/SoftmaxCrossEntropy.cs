using System.Globalization;
using TinyNet.Kernels;

namespace TinyNet.Losses;

/// <summary>
/// Softmax and cross-entropy fused, averaged over the samples, as PyTorch's
/// <c>CrossEntropyLoss</c>. Computed with log-sum-exp about each row's maximum, so logits of
/// +-1000 give finite losses and gradients. Targets are class indices, [batch] (whole numbers
/// stored as floats), or probabilities, [batch, classes].
/// </summary>
public sealed class SoftmaxCrossEntropy : Loss
{
    /// <summary>Checks the shapes, and that class indices are whole numbers in range.</summary>
    /// <param name="prediction">Logits, [batch, classes].</param>
    /// <param name="target">[batch] class indices, or [batch, classes] probabilities.</param>
    protected override void CheckShapes(Tensor prediction, Tensor target)
    {
        if (prediction.Rank != 2)
        {
            throw new ArgumentException(
                $"SoftmaxCrossEntropy: prediction must be [batch, classes]; got shape {Tensor.FormatShape(prediction.Shape)}.", nameof(prediction));
        }

        int batch = prediction.Dimension(0);
        int classes = prediction.Dimension(1);
        if (target.HasSameShape(prediction))
        {
            return;
        }

        if (target.Rank != 1 || target.Dimension(0) != batch)
        {
            throw TargetShapeError(prediction, target, $"[{batch}] class indices or [{batch}, {classes}] probabilities");
        }

        ReadOnlySpan<float> labels = target.AsSpan();
        for (int i = 0; i < labels.Length; i++)
        {
            float label = labels[i];
            if (!(label >= 0 && label < classes) || label != MathF.Floor(label))
            {
                throw new ArgumentException(
                    $"SoftmaxCrossEntropy: target[{i}] = {label.ToString(CultureInfo.InvariantCulture)} is not a class index; class indices are whole numbers in [0, {classes}).",
                    nameof(target));
            }
        }
    }

    /// <inheritdoc/>
    protected override double Compute(Tensor prediction, Tensor target, Tensor gradient)
    {
        int batch = prediction.Dimension(0);
        int classes = prediction.Dimension(1);
        int count = Math.Max(batch, 1);
        bool targetIsIndex = target.Rank == 1;
        return LossKernels.SoftmaxCrossEntropy(
            prediction.AsSpan(), batch, classes, target.AsSpan(), targetIsIndex, gradient.AsSpan(), count) / count;
    }
}
