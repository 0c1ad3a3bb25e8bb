using TinyNet.Layers;
using static TinyNet.Onnx.OnnxGraphBuilder;

namespace TinyNet.Onnx;

/// <summary>The ONNX form of each TinyNet layer: the nodes that compute what its forward pass computes in evaluation mode.</summary>
internal static class OnnxLayers
{
    private const float InverseSqrtTwo = 0.70710678118654752f;
    private const float SqrtTwoOverPi = 0.79788456080286536f;

    /// <summary>True for the layers <see cref="Emit"/> knows.</summary>
    public static bool IsSupported(Layer layer) =>
        layer is Linear or ReLU or LeakyReLU or Sigmoid or Tanh or Gelu or Dropout
            or Conv2d or MaxPool2d or AvgPool2d or Flatten or BatchNorm or LayerNorm or Embedding;

    /// <summary>Adds the layer's nodes after <paramref name="input"/>; returns the name of its output.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="prefix">Its state-dict prefix, such as <c>2.</c>; its weights are named with it.</param>
    /// <param name="input">The name of the value the layer takes.</param>
    /// <param name="graph">The graph to add to.</param>
    public static string Emit(Layer layer, string prefix, string input, OnnxGraphBuilder graph)
    {
        string scope = "/" + prefix.TrimEnd('.');
        switch (layer)
        {
            case Linear linear:
            {
                // Gemm with transB = 1: input [batch, in] times weightᵀ ([out, in] stored as PyTorch's), plus bias.
                var inputs = new List<string> { input, graph.AddInitializer(prefix + linear.Weight.Name, linear.Weight.Value.AsSpan(), linear.Weight.Value.Shape) };
                if (linear.Bias is not null)
                {
                    inputs.Add(graph.AddInitializer(prefix + linear.Bias.Name, linear.Bias.Value.AsSpan(), linear.Bias.Value.Shape));
                }

                return graph.AddNode("Gemm", scope, inputs, IntAttribute("transB", 1));
            }

            case ReLU:
                return graph.AddNode("Relu", scope, [input]);
            case LeakyReLU leaky:
                return graph.AddNode("LeakyRelu", scope, [input], FloatAttribute("alpha", leaky.NegativeSlope));
            case Sigmoid:
                return graph.AddNode("Sigmoid", scope, [input]);
            case Tanh:
                return graph.AddNode("Tanh", scope, [input]);
            case Dropout:
                return graph.AddNode("Identity", scope, [input]);
            case Gelu gelu:
                return EmitGelu(gelu.Approximation, scope, input, graph);
            case Conv2d conv:
            {
                var inputs = new List<string> { input, Weight(graph, prefix, conv.Weight) };
                if (conv.Bias is not null)
                {
                    inputs.Add(Weight(graph, prefix, conv.Bias));
                }

                return graph.AddNode(
                    "Conv", scope, inputs, IntsAttribute("kernel_shape", conv.KernelSize, conv.KernelSize), IntsAttribute("strides", conv.Stride, conv.Stride),
                    IntsAttribute("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding));
            }

            case MaxPool2d pool:
                return graph.AddNode("MaxPool", scope, [input], IntsAttribute("kernel_shape", pool.KernelSize, pool.KernelSize), IntsAttribute("strides", pool.Stride, pool.Stride));
            case AvgPool2d pool:
                return graph.AddNode("AveragePool", scope, [input], IntsAttribute("kernel_shape", pool.KernelSize, pool.KernelSize), IntsAttribute("strides", pool.Stride, pool.Stride));
            case Flatten:
                return graph.AddNode("Flatten", scope, [input], IntAttribute("axis", 1));
            case BatchNorm norm:
            {
                // Inference form: the running statistics normalize, as in evaluation mode.
                IReadOnlyList<NamedTensor> buffers = norm.Buffers;
                string[] inputs =
                [
                    input, Weight(graph, prefix, norm.Weight), Weight(graph, prefix, norm.Bias),
                    graph.AddInitializer(prefix + buffers[0].Name, buffers[0].Value.AsSpan(), buffers[0].Value.Shape),
                    graph.AddInitializer(prefix + buffers[1].Name, buffers[1].Value.AsSpan(), buffers[1].Value.Shape),
                ];
                return graph.AddNode("BatchNormalization", scope, inputs, FloatAttribute("epsilon", norm.Epsilon));
            }

            case LayerNorm norm:
                return graph.AddNode(
                    "LayerNormalization", scope, [input, Weight(graph, prefix, norm.Weight), Weight(graph, prefix, norm.Bias)],
                    IntAttribute("axis", -1), FloatAttribute("epsilon", norm.Epsilon));
            case Embedding embedding:
            {
                // The indices come as floats, like class indices; Gather takes integers.
                string indices = graph.AddNode("Cast", scope, [input], IntAttribute("to", (long)global::Onnx.TensorProto.Types.DataType.Int64));
                return graph.AddNode("Gather", scope, [Weight(graph, prefix, embedding.Weight), indices], IntAttribute("axis", 0));
            }

            default:
                throw new NotSupportedException($"{layer} has no ONNX export.");
        }
    }

    /// <summary>A parameter as an initializer under its state-dict name.</summary>
    private static string Weight(OnnxGraphBuilder graph, string prefix, Parameter parameter) =>
        graph.AddInitializer(prefix + parameter.Name, parameter.Value.AsSpan(), parameter.Value.Shape);

    /// <summary>
    /// GELU from opset-17 operators (the Gelu operator arrived in opset 20): exactly
    /// 0.5 x (1 + erf(x / sqrt 2)), or with the tanh approximation
    /// 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x³))).
    /// </summary>
    private static string EmitGelu(GeluApproximation approximation, string scope, string x, OnnxGraphBuilder graph)
    {
        string inner;
        if (approximation == GeluApproximation.Tanh)
        {
            string cube = graph.AddNode("Mul", scope, [x, graph.AddNode("Mul", scope, [x, x])]);
            string sum = graph.AddNode("Add", scope, [x, graph.AddNode("Mul", scope, [cube, graph.AddScalar(scope + "/c", 0.044715f)])]);
            inner = graph.AddNode("Tanh", scope, [graph.AddNode("Mul", scope, [sum, graph.AddScalar(scope + "/sqrt_2_over_pi", SqrtTwoOverPi)])]);
        }
        else
        {
            inner = graph.AddNode("Erf", scope, [graph.AddNode("Mul", scope, [x, graph.AddScalar(scope + "/inv_sqrt_2", InverseSqrtTwo)])]);
        }

        string onePlus = graph.AddNode("Add", scope, [inner, graph.AddScalar(scope + "/one", 1f)]);
        string half = graph.AddNode("Mul", scope, [x, graph.AddScalar(scope + "/half", 0.5f)]);
        return graph.AddNode("Mul", scope, [half, onePlus]);
    }
}
