using System.Reflection;
using Onnx;
using TinyNet.Layers;

namespace TinyNet.Onnx;

/// <summary>
/// Writes a TinyNet model as an ONNX model (opset 17), to run with ONNX Runtime or any other
/// ONNX engine. The graph has one input, <c>input</c> [batch, ...inputShape], and one output,
/// <c>output</c>, whose batch dimension is symbolic, so any batch size runs. Weights are
/// initializers under the model's state-dict names (<c>0.weight</c>, <c>0.bias</c>, ...).
/// The model is exported as it computes in evaluation mode: Dropout becomes Identity.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set the graph uses.</summary>
    public const int OpsetVersion = 17;

    private const long IrVersion = 8;

    /// <summary>
    /// Exports <paramref name="model"/> to <paramref name="path"/>. Every layer is checked first,
    /// and a sample of <paramref name="inputShape"/> is run through the model; the file is written
    /// to a temporary name and moved into place, so on any error nothing is written.
    /// </summary>
    /// <param name="model">The model: Linear, Conv2d, MaxPool2d, AvgPool2d, Flatten, BatchNorm1d, BatchNorm2d (with their running statistics), LayerNorm, Embedding, the activations (ReLU, LeakyReLU, Sigmoid, Tanh, Gelu in both forms), Dropout, and Sequential, nested or not.</param>
    /// <param name="path">The .onnx file to write; replaced if it exists.</param>
    /// <param name="inputShape">One sample's shape, without the batch dimension: [features] for an MLP, [channels, height, width] for a CNN, [tokens] for an Embedding.</param>
    /// <exception cref="NotSupportedException">The model holds a layer that has no ONNX form here; the message names it.</exception>
    /// <exception cref="ArgumentException">A sample of <paramref name="inputShape"/> does not fit the model.</exception>
    public static void Export(Layer model, string path, params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape.Any(d => d < 1))
        {
            throw new ArgumentException($"inputShape must give one sample's dimensions, each at least 1; got [{string.Join(", ", inputShape)}].", nameof(inputShape));
        }

        List<(Layer Layer, string Prefix)> layers = Flatten(model, string.Empty).ToList();
        foreach ((Layer layer, string prefix) in layers)
        {
            if (!OnnxLayers.IsSupported(layer))
            {
                throw new NotSupportedException($"{layer} (at '{(prefix.Length == 0 ? "the top" : prefix.TrimEnd('.'))}') has no ONNX export; supported are Linear, Conv2d, MaxPool2d, AvgPool2d, Flatten, BatchNorm1d, BatchNorm2d, LayerNorm, Embedding, ReLU, LeakyReLU, Sigmoid, Tanh, Gelu, Dropout and Sequential.");
            }
        }

        Tensor output;
        try
        {
            output = model.Predict(new Tensor([1, .. inputShape]), batchSize: 1);
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException($"A sample of shape [{string.Join(", ", inputShape)}] does not fit the model: {error.Message}", nameof(inputShape), error);
        }

        var builder = new OnnxGraphBuilder();
        string value = "input";
        foreach ((Layer layer, string prefix) in layers)
        {
            value = OnnxLayers.Emit(layer, prefix, value, builder);
        }

        GraphProto graph = builder.Graph;
        graph.Input.Add(OnnxGraphBuilder.BatchTensor("input", inputShape));
        graph.Output.Add(OnnxGraphBuilder.BatchTensor("output", output.Shape.Skip(1)));
        graph.Node.Add(new NodeProto { OpType = "Identity", Name = "output", Input = { value }, Output = { "output" } });
        var onnx = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "TinyNet",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            Graph = graph,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        WriteAtomically(path, onnx);
    }

    /// <summary>Every layer that computes something, in order, with its state-dict prefix; containers are opened.</summary>
    private static IEnumerable<(Layer Layer, string Prefix)> Flatten(Layer layer, string prefix)
    {
        if (layer is Sequential sequential)
        {
            for (int i = 0; i < sequential.Layers.Count; i++)
            {
                foreach ((Layer Layer, string Prefix) inner in Flatten(sequential.Layers[i], prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "."))
                {
                    yield return inner;
                }
            }
        }
        else
        {
            yield return (layer, prefix);
        }
    }

    private static void WriteAtomically(string path, ModelProto model)
    {
        string full = Path.GetFullPath(path);
        string temporary = full + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                Google.Protobuf.MessageExtensions.WriteTo(model, stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
