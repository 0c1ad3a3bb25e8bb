namespace TinyNet.Losses;

/// <summary>
/// A loss: <see cref="Forward"/> returns the mean loss of a batch and keeps its gradient;
/// <see cref="Backward"/> returns the gradient of that mean with respect to the prediction.
/// </summary>
public abstract class Loss
{
    private readonly TensorBuffer _gradient = new();
    private Tensor? _lastGradient;

    /// <summary>Computes the mean loss of a batch.</summary>
    /// <param name="prediction">The model's output; the shape each loss documents.</param>
    /// <param name="target">The targets; the shape each loss documents.</param>
    /// <returns>The mean loss (PyTorch's default reduction for this loss).</returns>
    public float Forward(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        CheckShapes(prediction, target);
        Tensor gradient = _gradient.Get(prediction.ShapeSpan);
        float loss = (float)Compute(prediction, target, gradient);
        _lastGradient = gradient;
        return loss;
    }

    /// <summary>The gradient of the last <see cref="Forward"/>'s mean loss with respect to the prediction.</summary>
    /// <returns>The prediction's shape, owned by the loss and overwritten by its next forward pass.</returns>
    public Tensor Backward() =>
        _lastGradient ?? throw new InvalidOperationException($"{GetType().Name}: Backward was called before Forward; there is no loss to differentiate.");

    /// <summary>Throws <see cref="ArgumentException"/> when the prediction and target shapes do not fit this loss.</summary>
    /// <param name="prediction">The model's output.</param>
    /// <param name="target">The targets.</param>
    protected abstract void CheckShapes(Tensor prediction, Tensor target);

    /// <summary>Computes the mean loss and writes its gradient.</summary>
    /// <param name="prediction">The model's output, checked.</param>
    /// <param name="target">The targets, checked.</param>
    /// <param name="gradient">The prediction's shape: receives d(mean loss)/d(prediction).</param>
    /// <returns>The mean loss.</returns>
    protected abstract double Compute(Tensor prediction, Tensor target, Tensor gradient);

    /// <summary>Throws unless the target has the prediction's shape, for losses that compare element by element.</summary>
    /// <param name="prediction">The model's output.</param>
    /// <param name="target">The targets.</param>
    protected void RequireSameShape(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (!target.HasSameShape(prediction))
        {
            throw TargetShapeError(prediction, target, "the same shape");
        }
    }

    /// <summary>The message for a target whose shape does not match.</summary>
    /// <param name="prediction">The model's output.</param>
    /// <param name="target">The targets.</param>
    /// <param name="expected">What the target's shape should be, in words.</param>
    /// <returns>The exception to throw.</returns>
    protected ArgumentException TargetShapeError(Tensor prediction, Tensor target, string expected) =>
        new($"{GetType().Name}: target has shape {Tensor.FormatShape(target.Shape)}, but a prediction of shape {Tensor.FormatShape(prediction.Shape)} needs {expected}.", nameof(target));
}
