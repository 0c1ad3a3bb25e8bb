using System.Globalization;
using System.Text;

namespace TinyNet.Layers;

/// <summary>
/// Layers in a row: the forward pass runs them in order, the backward pass in reverse. Its
/// parameters are its layers', named by position as in a PyTorch state dict: <c>0.weight</c>,
/// <c>0.bias</c>, <c>2.weight</c>, ...
/// </summary>
public sealed class Sequential : Layer
{
    private readonly Layer[] _layers;
    private readonly Parameter[] _parameters;

    /// <summary>Creates the container.</summary>
    /// <param name="layers">The layers, first to last; at least one, none null, none twice.</param>
    public Sequential(params Layer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0)
        {
            throw new ArgumentException("A Sequential needs at least one layer.", nameof(layers));
        }

        for (int i = 0; i < layers.Length; i++)
        {
            if (layers[i] is null)
            {
                throw new ArgumentException($"layers[{i}] is null.", nameof(layers));
            }

            if (Array.IndexOf(layers, layers[i]) != i)
            {
                throw new ArgumentException($"layers[{i}] ({layers[i]}) is the same object as layers[{Array.IndexOf(layers, layers[i])}]; a layer keeps one forward pass's state and cannot appear twice.", nameof(layers));
            }
        }

        _layers = (Layer[])layers.Clone();
        _parameters = _layers
            .SelectMany((layer, index) => layer.Parameters.Select(p => p.WithPrefix(index.ToString(CultureInfo.InvariantCulture) + ".")))
            .ToArray();
    }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Runs the layers in order.</summary>
    /// <param name="input">What the first layer takes.</param>
    /// <returns>The last layer's output.</returns>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        foreach (Layer layer in _layers)
        {
            x = layer.Forward(x);
        }

        return x;
    }

    /// <summary>Runs the layers' backward passes in reverse order.</summary>
    /// <param name="gradOutput">The gradient with respect to the last layer's output.</param>
    /// <returns>The gradient with respect to the first layer's input; empty when <see cref="Layer.RequiresInputGradient"/> is false.</returns>
    public override Tensor Backward(Tensor gradOutput)
    {
        // Only the first layer's input gradient is this container's input gradient; every other
        // layer's is the gradient the layer before it needs.
        _layers[0].RequiresInputGradient = RequiresInputGradient;
        Tensor gradient = gradOutput;
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            gradient = _layers[i].Backward(gradient);
        }

        return gradient;
    }

    /// <summary>Prints the layers like PyTorch: <c>Sequential(\n  (0): Linear(...)\n  (1): ReLU()\n)</c>.</summary>
    /// <returns>The container's description, one layer a line.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder("Sequential(\n");
        for (int i = 0; i < _layers.Length; i++)
        {
            string inner = _layers[i].ToString()!.Replace("\n", "\n  ", StringComparison.Ordinal);
            builder.Append("  (").Append(i).Append("): ").Append(inner).Append('\n');
        }

        return builder.Append(')').ToString();
    }

    /// <inheritdoc/>
    internal override IEnumerable<Layer> SelfAndDescendants()
    {
        yield return this;
        foreach (Layer layer in _layers)
        {
            foreach (Layer inner in layer.SelfAndDescendants())
            {
                yield return inner;
            }
        }
    }

    /// <inheritdoc/>
    protected override void OnTrainingChanged(bool isTraining)
    {
        foreach (Layer layer in _layers)
        {
            layer.IsTraining = isTraining;
        }
    }
}
