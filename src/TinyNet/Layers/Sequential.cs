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
    private readonly NamedTensor[] _buffers;

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
        _buffers = _layers
            .SelectMany((layer, index) => layer.Buffers.Select(b => b.WithPrefix(index.ToString(CultureInfo.InvariantCulture) + ".")))
            .ToArray();
    }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<NamedTensor> Buffers => _buffers;

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

    /// <summary>
    /// A table of the layers (nested containers opened, numbered by their state-dict prefix),
    /// each layer's output shape for a batch of samples of <paramref name="inputShape"/>, and its
    /// parameter count, with the total, as Keras's <c>model.summary()</c> prints it. The shapes
    /// come from one forward pass of a zero sample in evaluation mode, which changes no state;
    /// <see cref="Layer.IsTraining"/> is restored.
    /// </summary>
    /// <param name="inputShape">One sample's shape, without the batch dimension: [features] for an MLP, [channels, height, width] for images.</param>
    /// <returns>The table, one line per layer.</returns>
    /// <exception cref="ArgumentException">A sample of that shape does not fit the model.</exception>
    public string Summary(params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d < 1))
        {
            throw new ArgumentException($"inputShape must give one sample's dimensions, each at least 1; got {Tensor.FormatShape(inputShape)}.", nameof(inputShape));
        }

        var rows = new List<(string Name, string Shape, long Count)>();
        bool wasTraining = IsTraining;
        IsTraining = false;
        try
        {
            SummaryRows(this, string.Empty, new Tensor([1, .. inputShape]), rows);
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException($"A sample of shape {Tensor.FormatShape(inputShape)} does not fit the model: {error.Message}", nameof(inputShape), error);
        }
        finally
        {
            IsTraining = wasTraining;
        }

        int nameWidth = Math.Max("Layer".Length, rows.Max(r => r.Name.Length)) + 2;
        int shapeWidth = Math.Max("Output shape".Length, rows.Max(r => r.Shape.Length)) + 2;
        long total = rows.Sum(r => r.Count);
        string rule = new('-', nameWidth + shapeWidth + 12);
        var table = new StringBuilder();
        table.Append("Layer".PadRight(nameWidth)).Append("Output shape".PadRight(shapeWidth)).Append("Parameters".PadLeft(12)).Append('\n').Append(rule).Append('\n');
        foreach ((string name, string shape, long count) in rows)
        {
            table.Append(name.PadRight(nameWidth)).Append(shape.PadRight(shapeWidth))
                .Append(count.ToString("N0", CultureInfo.InvariantCulture).PadLeft(12)).Append('\n');
        }

        return table.Append(rule).Append('\n')
            .Append(CultureInfo.InvariantCulture, $"Total parameters: {total:N0} ({total * sizeof(float):N0} bytes as fp32)").ToString();
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

    /// <summary>Runs <paramref name="input"/> through the container's layers, adding a row per layer (nested containers opened).</summary>
    private static Tensor SummaryRows(Sequential container, string prefix, Tensor input, List<(string Name, string Shape, long Count)> rows)
    {
        Tensor x = input;
        for (int i = 0; i < container._layers.Length; i++)
        {
            Layer layer = container._layers[i];
            string name = prefix + i.ToString(CultureInfo.InvariantCulture);
            if (layer is Sequential inner)
            {
                x = SummaryRows(inner, name + ".", x, rows);
                continue;
            }

            x = layer.Forward(x);
            string shape = "[batch" + string.Concat(x.Shape.Skip(1).Select(d => ", " + d.ToString(CultureInfo.InvariantCulture))) + "]";
            rows.Add(($"{name}: {layer.GetType().Name}", shape, layer.Parameters.Sum(p => (long)p.Value.Length)));
        }

        return x;
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
