using System.Globalization;
using TinyNet.Kernels;

namespace TinyNet.Layers;

/// <summary>
/// A lookup table of vectors, as PyTorch's <c>nn.Embedding(count, dimension)</c>: each index
/// picks a row of the weight [count, dimension], initialized from N(0, 1). Indices come as a
/// float tensor of whole numbers, like class indices; the backward pass adds each output row's
/// gradient into its index's row of the weight's gradient. Indices have no gradient.
/// </summary>
public sealed class Embedding : Layer
{
    private readonly int _count;
    private readonly int _dimension;
    private readonly Parameter[] _parameters;
    private readonly TensorBuffer _output = new();
    private readonly TensorBuffer _gradInput = new();
    private int[] _outputShape = [];

    // Kept by Forward for Backward: the indices (which rows to add into) and the output (for the shape check).
    private Tensor? _indices;
    private Tensor? _lastOutput;

    /// <summary>Creates the table, initialized as PyTorch initializes <c>nn.Embedding</c>.</summary>
    /// <param name="count">How many vectors (the index range is [0, count)); at least 1.</param>
    /// <param name="dimension">The length of each vector; at least 1.</param>
    /// <param name="seed">The seed of the initial weights; by default the next of <see cref="Initializers.NextSeed"/>.</param>
    public Embedding(int count, int dimension, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _count = count;
        _dimension = dimension;
        Weight = new Parameter("weight", new Tensor(count, dimension));
        _parameters = [Weight];
        Initializers.Normal(Weight.Value.AsSpan(), 1f, new Random(seed ?? Initializers.NextSeed()));
    }

    /// <summary>The table, [count, dimension].</summary>
    public Parameter Weight { get; }

    /// <summary>How many vectors the table holds.</summary>
    public int Count => _count;

    /// <summary>The length of each vector.</summary>
    public int Dimension => _dimension;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Looks up every index.</summary>
    /// <param name="input">[batch, ...] whole numbers in [0, count), e.g. [batch, tokens].</param>
    /// <returns>[batch, ..., dimension], owned by the layer.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 1)
        {
            throw new ArgumentException($"{this} expects indices of shape [batch, ...], got a scalar.", nameof(input));
        }

        ReadOnlySpan<float> indices = input.AsSpan();
        int bad = EmbeddingKernels.FirstInvalidIndex(indices, _count);
        if (bad >= 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{this}: input[{bad}] (of shape {Tensor.FormatShape(input.Shape)}) is {indices[bad]}; an index must be a whole number in [0, {_count})."),
                nameof(input));
        }

        if (_outputShape.Length != input.Rank + 1 || !input.ShapeSpan.SequenceEqual(_outputShape.AsSpan(0, input.Rank)))
        {
            _outputShape = [.. input.Shape, _dimension];
        }

        Tensor output = _output.Get(_outputShape);
        EmbeddingKernels.Gather(Weight.Value.AsSpan(), indices, _dimension, output.AsSpan());
        _indices = input;
        _lastOutput = output;
        return output;
    }

    /// <summary>gradWeight[index] += the gradient of each output row looked up at that index.</summary>
    /// <param name="gradOutput">[batch, ..., dimension].</param>
    /// <returns>Zeros of the indices' shape (indices have no gradient), owned by the layer; empty when <see cref="Layer.RequiresInputGradient"/> is false.</returns>
    public override Tensor Backward(Tensor gradOutput)
    {
        if (_indices is null || _lastOutput is null)
        {
            throw BackwardBeforeForward(this);
        }

        CheckGradientShape(gradOutput, _lastOutput);
        EmbeddingKernels.ScatterAdd(gradOutput.AsSpan(), _indices.AsSpan(), _dimension, Weight.Gradient.AsSpan());
        if (!RequiresInputGradient)
        {
            return NoGradient;
        }

        Tensor gradInput = _gradInput.Get(_indices.ShapeSpan);
        gradInput.AsSpan().Clear();
        return gradInput;
    }

    /// <summary>Reads as <c>Embedding(count: 1000, dimension: 32)</c>.</summary>
    /// <returns>The layer's description.</returns>
    public override string ToString() => $"Embedding(count: {_count}, dimension: {_dimension})";
}
