namespace TinyNet;

/// <summary>
/// One reusable buffer of a layer, viewed at whatever shape a call needs. The first call at a
/// shape creates the view; later calls at that shape get the same tensor, so the steady state
/// allocates nothing, and a short last batch only adds one more view of the same storage.
/// </summary>
internal sealed class TensorBuffer
{
    private readonly List<Tensor> _views = [];
    private TensorStorage _storage = TensorStorage.Allocate(0);

    /// <summary>A tensor of the given shape over this buffer's storage; its contents are whatever was last written.</summary>
    public Tensor Get(ReadOnlySpan<int> shape)
    {
        foreach (Tensor view in _views)
        {
            if (view.HasShape(shape))
            {
                return view;
            }
        }

        long length = 1;
        foreach (int dimension in shape)
        {
            length *= dimension;
        }

        if (length > _storage.Length)
        {
            // Views of the old storage would no longer share this one: forget them.
            _storage = TensorStorage.Allocate(checked((int)length));
            _views.Clear();
        }

        Tensor created = Tensor.View(_storage, shape.ToArray());
        _views.Add(created);
        return created;
    }
}
