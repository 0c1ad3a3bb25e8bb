using System.Globalization;
using System.Text;

namespace TinyNet;

/// <summary>
/// A dense, contiguous, row-major tensor of 32-bit floats. The first dimension is the batch
/// wherever a tensor holds a batch of samples.
/// </summary>
/// <remarks>
/// A tensor owns its storage. Its shape is fixed at construction; the storage is exposed as a
/// span so that kernels work on it without copies. The first element of a tensor of 16 or more
/// elements is 64-byte aligned.
/// </remarks>
public sealed class Tensor
{
    private const int PreviewCount = 6;

    private readonly TensorStorage _storage;
    private readonly int[] _shape;
    private readonly int _length;

    /// <summary>Creates a tensor of the given shape, filled with zeros.</summary>
    /// <param name="shape">The dimensions, outermost first; each must be zero or positive. No dimensions gives a scalar of length 1.</param>
    /// <exception cref="ArgumentException">A dimension is negative, or the element count overflows.</exception>
    public Tensor(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        _shape = (int[])shape.Clone();
        _length = CheckedLength(_shape, nameof(shape));
        _storage = TensorStorage.Allocate(_length);
    }

    private Tensor(TensorStorage storage, int[] shape, int length)
    {
        _storage = storage;
        _shape = shape;
        _length = length;
    }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements: the product of the dimensions.</summary>
    public int Length => _length;

    /// <summary>Creates a tensor holding a copy of <paramref name="data"/>.</summary>
    /// <param name="data">The elements in row-major order; its length must equal the product of <paramref name="shape"/>.</param>
    /// <param name="shape">The dimensions, outermost first.</param>
    /// <exception cref="ArgumentException">The length of <paramref name="data"/> does not match the shape, or a dimension is negative.</exception>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        int[] copy = (int[])shape.Clone();
        int length = CheckedLength(copy, nameof(shape));
        if (data.Length != length)
        {
            throw new ArgumentException(
                $"data has {data.Length} elements but shape {FormatShape(copy)} needs {length}.", nameof(data));
        }

        TensorStorage storage = TensorStorage.Allocate(length);
        data.CopyTo(storage.AsSpan(length));
        return new Tensor(storage, copy, length);
    }

    /// <summary>Gets the size of one dimension.</summary>
    /// <param name="axis">The dimension's index, from 0 (outermost) to <see cref="Rank"/> - 1.</param>
    /// <returns>The size of that dimension.</returns>
    public int Dimension(int axis)
    {
        if ((uint)axis >= (uint)_shape.Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(axis), axis, $"axis must be in [0, {_shape.Length}) for a tensor of shape {FormatShape(_shape)}.");
        }

        return _shape[axis];
    }

    /// <summary>The elements in row-major order, writable in place.</summary>
    /// <returns>A span over all <see cref="Length"/> elements.</returns>
    public Span<float> AsSpan() => _storage.AsSpan(_length);

    /// <summary>Copies the elements into a new array, in row-major order.</summary>
    /// <returns>A new array of <see cref="Length"/> elements.</returns>
    public float[] ToArray() => AsSpan().ToArray();

    /// <summary>Says the shape and the first few values, e.g. <c>Tensor[2, 3] [1, 2, 3, 4, 5, 6]</c>.</summary>
    /// <returns>The shape and a short preview of the values.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder("Tensor").Append(FormatShape(_shape)).Append(" [");
        ReadOnlySpan<float> values = AsSpan();
        int shown = Math.Min(PreviewCount, _length);
        for (int i = 0; i < shown; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            builder.Append(values[i].ToString("G6", CultureInfo.InvariantCulture));
        }

        if (_length > shown)
        {
            builder.Append(", ... (").Append(_length).Append(" values)");
        }

        return builder.Append(']').ToString();
    }

    /// <summary>
    /// A tensor of the given shape over the first elements of <paramref name="storage"/>, which
    /// it shares: layers keep one buffer and view it at each batch size, so a short last batch
    /// costs no allocation.
    /// </summary>
    internal static Tensor View(TensorStorage storage, int[] shape)
    {
        int length = CheckedLength(shape, nameof(shape));
        if (length > storage.Length)
        {
            throw new ArgumentException($"A view of shape {FormatShape(shape)} needs {length} elements; the storage has {storage.Length}.", nameof(shape));
        }

        return new Tensor(storage, shape, length);
    }

    /// <summary>A tensor of another shape with as many elements, sharing this one's storage (a reshape).</summary>
    internal Tensor Reshaped(int[] shape)
    {
        int length = CheckedLength(shape, nameof(shape));
        if (length != _length)
        {
            throw new ArgumentException($"A tensor of shape {FormatShape(_shape)} cannot be viewed as {FormatShape(shape)}.", nameof(shape));
        }

        return new Tensor(_storage, shape, length);
    }

    /// <summary>The dimensions as a span, for checks that must not allocate.</summary>
    internal ReadOnlySpan<int> ShapeSpan => _shape;

    /// <summary>True when this tensor's shape equals <paramref name="shape"/>.</summary>
    internal bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(_shape);

    /// <summary>True when this tensor's shape equals <paramref name="other"/>'s.</summary>
    internal bool HasSameShape(Tensor other) => other.HasShape(_shape);

    /// <summary>Formats a shape as <c>[2, 3]</c>, for messages.</summary>
    internal static string FormatShape(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";

    private static int CheckedLength(int[] shape, string argumentName)
    {
        long length = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException(
                    $"Dimensions must be zero or positive; got shape {FormatShape(shape)}.", argumentName);
            }

            length *= dimension;
            if (length > Array.MaxLength)
            {
                throw new ArgumentException(
                    $"Shape {FormatShape(shape)} has more elements than an array can hold ({Array.MaxLength}).", argumentName);
            }
        }

        return (int)length;
    }
}
