using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using Onnx;

namespace TinyNet.Onnx;

/// <summary>
/// Builds an ONNX graph node by node: each node's output gets a fresh name, weights become
/// initializers under the names they are given (the model's state-dict names), and small
/// constants become scalar initializers of their own.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph = new() { Name = "tinynet" };
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>The graph built so far.</summary>
    public GraphProto Graph => _graph;

    /// <summary>Adds a float tensor initializer under <paramref name="name"/>, which must be new.</summary>
    public string AddInitializer(string name, ReadOnlySpan<float> values, IReadOnlyList<int> shape)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"The ONNX graph already has a value named '{name}'.");
        }

        return AddTensor(name, values, shape);
    }

    /// <summary>Adds a scalar float constant, named after the node that needs it.</summary>
    public string AddScalar(string prefix, float value) => AddTensor(Fresh(prefix), [value], []);

    private string AddTensor(string name, ReadOnlySpan<float> values, IReadOnlyList<int> shape)
    {
        byte[] bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(shape.Select(d => (long)d));
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a node of <paramref name="opType"/> and returns the name of its one output.</summary>
    public string AddNode(string opType, string prefix, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string output = Fresh(prefix + "/" + opType);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>A float attribute.</summary>
    public static AttributeProto FloatAttribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A list-of-integers attribute.</summary>
    public static AttributeProto IntsAttribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float tensor value whose first dimension is the symbolic batch dimension.</summary>
    public static ValueInfoProto BatchTensor(string name, IEnumerable<int> sampleShape)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.AddRange(sampleShape.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>A name not yet in the graph, starting with <paramref name="stem"/>.</summary>
    private string Fresh(string stem)
    {
        string name;
        do
        {
            name = stem + "_" + (_next++).ToString(CultureInfo.InvariantCulture);
        }
        while (!_names.Add(name));
        return name;
    }
}
