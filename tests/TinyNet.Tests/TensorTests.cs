namespace TinyNet.Tests;

[TestFixture]
public sealed class TensorTests
{
    [Test]
    public void A_new_tensor_has_its_shape_and_zeros()
    {
        var tensor = new Tensor(2, 3, 4);
        Assert.That(tensor.Shape, Is.EqualTo(new[] { 2, 3, 4 }).AsCollection);
        Assert.That(tensor.Rank, Is.EqualTo(3));
        Assert.That(tensor.Length, Is.EqualTo(24));
        Assert.That(tensor.Dimension(1), Is.EqualTo(3));
        Assert.That(tensor.ToArray(), Is.All.EqualTo(0f));
    }

    [Test]
    public void A_tensor_with_no_dimensions_is_a_scalar_and_a_zero_dimension_is_empty()
    {
        Assert.That(new Tensor().Length, Is.EqualTo(1));
        Assert.That(new Tensor(3, 0).Length, Is.EqualTo(0));
    }

    [Test]
    public void FromArray_copies_so_later_changes_to_the_array_do_not_leak()
    {
        float[] data = [1, 2, 3, 4, 5, 6];
        var tensor = Tensor.FromArray(data, 2, 3);
        data[0] = 100;
        Assert.That(tensor.AsSpan()[0], Is.EqualTo(1f));
        float[] copy = tensor.ToArray();
        copy[1] = 100;
        Assert.That(tensor.AsSpan()[1], Is.EqualTo(2f), "ToArray copies too");
    }

    [Test]
    public void The_shape_given_is_copied()
    {
        int[] shape = [2, 2];
        var tensor = new Tensor(shape);
        shape[0] = 5;
        Assert.That(tensor.Shape, Is.EqualTo(new[] { 2, 2 }).AsCollection);
    }

    [Test]
    public void AsSpan_writes_through()
    {
        var tensor = new Tensor(2, 2);
        tensor.AsSpan()[3] = 7f;
        Assert.That(tensor.ToArray(), Is.EqualTo(new[] { 0f, 0f, 0f, 7f }).AsCollection);
    }

    [Test]
    public void A_negative_dimension_is_rejected_with_the_shape()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new Tensor(2, -1));
        Assert.That(ex!.ParamName, Is.EqualTo("shape"));
        Assert.That(ex.Message, Does.Contain("[2, -1]"));
    }

    [Test]
    public void An_overflowing_shape_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new Tensor(65536, 65536));
        Assert.That(ex!.Message, Does.Contain("[65536, 65536]"));
    }

    [Test]
    public void FromArray_rejects_a_length_that_does_not_match_the_shape()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.FromArray([1f, 2f, 3f], 2, 2));
        Assert.That(ex!.ParamName, Is.EqualTo("data"));
        Assert.That(ex.Message, Does.Contain("3 elements").And.Contain("[2, 2]").And.Contain("needs 4"));
    }

    [Test]
    public void Dimension_rejects_an_axis_out_of_range()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Tensor(2, 3).Dimension(2));
        Assert.That(ex!.ParamName, Is.EqualTo("axis"));
        Assert.That(ex.Message, Does.Contain("[2, 3]"));
    }

    [Test]
    public void ToString_shows_the_shape_and_a_preview()
    {
        Assert.That(Tensor.FromArray([1f, 2.5f, 3f], 3).ToString(), Is.EqualTo("Tensor[3] [1, 2.5, 3]"));
        Assert.That(new Tensor(2, 5).ToString(), Is.EqualTo("Tensor[2, 5] [0, 0, 0, 0, 0, 0, ... (10 values)]"));
    }
}
