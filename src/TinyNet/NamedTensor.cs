namespace TinyNet;

/// <summary>
/// A named tensor of a layer's state that is not trained: what PyTorch calls a buffer, such as
/// BatchNorm's running mean and variance. Buffers are saved in model files and checkpoints under
/// their state-dict names (<c>1.running_mean</c>) beside the parameters, and no optimizer
/// touches them.
/// </summary>
public sealed class NamedTensor
{
    /// <summary>Creates the buffer.</summary>
    /// <param name="name">The state-dict name within its layer, such as <c>running_mean</c>.</param>
    /// <param name="value">The tensor, owned by the layer and updated in place.</param>
    public NamedTensor(string name, Tensor value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
    }

    /// <summary>The state-dict name; inside a container, prefixed by the layer's position (<c>1.running_var</c>).</summary>
    public string Name { get; }

    /// <summary>The values.</summary>
    public Tensor Value { get; }

    /// <summary>Reads as the name and shape, e.g. <c>running_mean [16]</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Name} {Tensor.FormatShape(Value.Shape)}";

    internal NamedTensor WithPrefix(string prefix) => new(prefix + Name, Value);
}
