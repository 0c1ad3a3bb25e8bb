namespace TinyNet;

/// <summary>
/// A trainable tensor and the gradient that the backward pass accumulates into it. The optimizer
/// reads the gradient, updates the value and clears the gradient (<c>ZeroGrad</c>).
/// </summary>
public sealed class Parameter
{
    /// <summary>Creates a parameter with a zero gradient of the same shape as <paramref name="value"/>.</summary>
    /// <param name="name">The name, as in a PyTorch state dict (<c>weight</c>, <c>0.bias</c>).</param>
    /// <param name="value">The values; the parameter keeps this tensor, it does not copy it.</param>
    public Parameter(string name, Tensor value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
        Gradient = new Tensor([.. value.Shape]);
    }

    private Parameter(string name, Tensor value, Tensor gradient)
    {
        Name = name;
        Value = value;
        Gradient = gradient;
    }

    /// <summary>The name, as in a PyTorch state dict: <c>weight</c> in a layer, <c>0.weight</c> in a <c>Sequential</c>.</summary>
    public string Name { get; }

    /// <summary>The values.</summary>
    public Tensor Value { get; }

    /// <summary>The accumulated gradient of the loss with respect to <see cref="Value"/>; same shape.</summary>
    public Tensor Gradient { get; }

    /// <summary>Says the name and shape, e.g. <c>0.weight [128, 784]</c>.</summary>
    /// <returns>The name and the shape.</returns>
    public override string ToString() => $"{Name} {Tensor.FormatShape(Value.Shape)}";

    /// <summary>The same value and gradient under a container's name (<c>0.</c> + <c>weight</c>).</summary>
    internal Parameter WithPrefix(string prefix) => new(prefix + Name, Value, Gradient);
}
