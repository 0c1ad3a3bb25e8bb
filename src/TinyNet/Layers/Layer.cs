namespace TinyNet.Layers;

/// <summary>
/// A differentiable piece of a model with an explicit forward and backward pass.
/// <see cref="Forward"/> returns an output tensor the layer owns and reuses on the next call, and
/// keeps what <see cref="Backward"/> needs; <see cref="Backward"/> takes the gradient of the loss
/// with respect to that output, adds into each <see cref="Parameter.Gradient"/>, and returns the
/// gradient with respect to the input. Buffers are allocated on the first call at a shape and
/// reused after.
/// </summary>
public abstract class Layer
{
    private static readonly Tensor s_noGradient = new(0);
    private bool _isTraining = true;

    /// <summary>
    /// True (the default) in training; false in evaluation, where Dropout passes its input
    /// through. Setting it on a container sets it on every layer inside.
    /// </summary>
    public bool IsTraining
    {
        get => _isTraining;
        set
        {
            _isTraining = value;
            OnTrainingChanged(value);
        }
    }

    /// <summary>
    /// When false, <see cref="Backward"/> computes only parameter gradients and returns an empty
    /// tensor: the gradient with respect to a model's input (the data) is needed by nothing, and
    /// for a first Linear layer it would cost a whole matrix multiply. True by default.
    /// </summary>
    public bool RequiresInputGradient { get; set; } = true;

    /// <summary>The trainable parameters, named as in a PyTorch state dict; empty for layers without any.</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>
    /// The layer's state that is not trained (BatchNorm's running statistics), named as in a
    /// PyTorch state dict; empty for layers without any. Model files and checkpoints save them
    /// beside <see cref="Parameters"/>.
    /// </summary>
    public virtual IReadOnlyList<NamedTensor> Buffers => [];

    /// <summary>The empty tensor <see cref="Backward"/> returns when <see cref="RequiresInputGradient"/> is false.</summary>
    protected static Tensor NoGradient => s_noGradient;

    /// <summary>Computes the output for a batch.</summary>
    /// <param name="input">The input; its shape is the layer's to say (Linear: [batch, inFeatures]).</param>
    /// <returns>The output, owned by the layer and overwritten by its next forward pass.</returns>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Back-propagates the gradient of the loss through the layer.</summary>
    /// <param name="gradOutput">The gradient with respect to the last output; same shape as that output.</param>
    /// <returns>The gradient with respect to the last input (same shape), owned by the layer; or an empty tensor when <see cref="RequiresInputGradient"/> is false.</returns>
    public abstract Tensor Backward(Tensor gradOutput);

    /// <summary>Everything a state dict holds, by name: the parameters' values, then the buffers.</summary>
    internal IEnumerable<KeyValuePair<string, Tensor>> StateTensors() =>
        Parameters.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Value))
            .Concat(Buffers.Select(b => new KeyValuePair<string, Tensor>(b.Name, b.Value)));

    /// <summary>This layer and, for containers, every layer inside, depth first.</summary>
    internal virtual IEnumerable<Layer> SelfAndDescendants()
    {
        yield return this;
    }

    /// <summary>Called when <see cref="IsTraining"/> is set; containers pass it on to their layers.</summary>
    /// <param name="isTraining">The new value.</param>
    protected virtual void OnTrainingChanged(bool isTraining)
    {
    }

    /// <summary>Throws the error for a backward pass that has no forward pass to go back through.</summary>
    /// <param name="layer">The layer, for the message.</param>
    /// <returns>Never returns.</returns>
    protected static InvalidOperationException BackwardBeforeForward(Layer layer) =>
        new($"{layer}: Backward was called before Forward; there is no forward pass to differentiate.");

    /// <summary>Checks that a gradient has the shape of the output it belongs to.</summary>
    /// <param name="gradOutput">The gradient passed to <see cref="Backward"/>.</param>
    /// <param name="output">The last output of <see cref="Forward"/>.</param>
    protected void CheckGradientShape(Tensor gradOutput, Tensor output)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (!gradOutput.HasSameShape(output))
        {
            throw new ArgumentException(
                $"{this}: gradOutput has shape {Tensor.FormatShape(gradOutput.Shape)}, but the last output had shape {Tensor.FormatShape(output.Shape)}.",
                nameof(gradOutput));
        }
    }
}
