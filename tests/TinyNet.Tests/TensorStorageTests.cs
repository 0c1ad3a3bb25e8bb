namespace TinyNet.Tests;

[TestFixture]
public sealed unsafe class TensorStorageTests
{
    [TestCase(16)]
    [TestCase(17)]
    [TestCase(1000)]
    [TestCase(128 * 784)]
    public void Storage_of_a_vector_or_more_starts_on_a_64_byte_boundary_and_is_zero(int length)
    {
        // Many allocations, so that arrays land at every 8-byte offset a 64-byte line can start at.
        for (int i = 0; i < 64; i++)
        {
            TensorStorage storage = TensorStorage.Allocate(length);
            Assert.That(storage.Length, Is.EqualTo(length));
            Assert.That(storage.Offset + length, Is.LessThanOrEqualTo(storage.Array.Length));
            Assert.That(AddressOf(storage.AsSpan(length)) % TensorStorage.Alignment, Is.Zero);
            Assert.That(storage.AsSpan(length).ToArray(), Is.All.Zero);
        }
    }

    [TestCase(1)]
    [TestCase(12)]
    [TestCase(5000)]
    public void Pinned_storage_is_aligned_at_any_length(int length)
    {
        for (int i = 0; i < 16; i++)
        {
            TensorStorage storage = TensorStorage.AllocatePinned(length);
            Assert.That(storage.Offset + length, Is.LessThanOrEqualTo(storage.Array.Length));
            Assert.That(AddressOf(storage.AsSpan(length)) % TensorStorage.Alignment, Is.Zero);
        }
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(15)]
    public void Storage_smaller_than_a_vector_is_a_plain_array(int length)
    {
        TensorStorage storage = TensorStorage.Allocate(length);
        Assert.That(storage.Offset, Is.Zero);
        Assert.That(storage.Array, Has.Length.EqualTo(length));
    }

    [Test]
    public void Tensors_and_their_views_stay_aligned_after_the_collector_compacts()
    {
        var tensors = new List<Tensor> { new(3, 517), Tensor.FromArray(new float[100], 10, 10) };
        var buffer = new TensorBuffer();
        tensors.Add(buffer.Get([4, 33]));
        tensors.Add(buffer.Get([2, 33])); // A second view of the same storage.

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        foreach (Tensor tensor in tensors)
        {
            Assert.That(AddressOf(tensor.AsSpan()) % TensorStorage.Alignment, Is.Zero, tensor.ToString());
        }
    }

    [Test]
    public void FromArray_keeps_the_values_in_aligned_storage()
    {
        float[] values = Enumerable.Range(0, 40).Select(i => i * 0.5f).ToArray();
        Tensor tensor = Tensor.FromArray(values, 8, 5);
        Assert.That(tensor.ToArray(), Is.EqualTo(values).AsCollection);
        Assert.That(AddressOf(tensor.AsSpan()) % TensorStorage.Alignment, Is.Zero);
    }

    private static long AddressOf(Span<float> span)
    {
        fixed (float* first = span)
        {
            return (long)first;
        }
    }
}
