using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TinyNet.Serialization;

namespace TinyNet.Tests.Serialization;

[TestFixture]
public sealed class SafeTensorsFileTests : TemporaryFolder
{
    [Test]
    public void Tensors_and_metadata_round_trip_exactly()
    {
        string path = Path.Combine(Folder, "a.safetensors");
        Tensor first = TestData.Random(1, 10f, 3, 4);
        Tensor second = Tensor.FromArray([float.MaxValue, -0f, float.Epsilon], 3);
        SafeTensorsFile.Write(path, [new("first", first), new("second", second), new("empty", new Tensor(0))], new Dictionary<string, string> { ["note"] = "héllo" });
        (IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata) = SafeTensorsFile.Read(path);
        Assert.That(tensors.Select(t => t.Key), Is.EqualTo(new[] { "first", "second", "empty" }).AsCollection);
        Assert.That(tensors[0].Value.ToArray(), Is.EqualTo(first.ToArray()).AsCollection);
        Assert.That(tensors[1].Value.ToArray().Select(BitConverter.SingleToInt32Bits), Is.EqualTo(second.ToArray().Select(BitConverter.SingleToInt32Bits)).AsCollection);
        Assert.That(tensors[0].Value.Shape, Is.EqualTo(new[] { 3, 4 }).AsCollection);
        Assert.That(metadata, Is.EquivalentTo(new Dictionary<string, string> { ["note"] = "héllo" }));
        Assert.That(Directory.GetFiles(Folder), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public void The_file_is_standard_safetensors()
    {
        string path = Path.Combine(Folder, "b.safetensors");
        SafeTensorsFile.Write(path, [new("w", Tensor.FromArray([1f, 2f], 1, 2))], new Dictionary<string, string>());
        byte[] bytes = File.ReadAllBytes(path);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength));
        JsonElement w = header.RootElement.GetProperty("w");
        Assert.That(w.GetProperty("dtype").GetString(), Is.EqualTo("F32"));
        Assert.That(w.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 1, 2 }).AsCollection);
        Assert.That(w.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new[] { 0L, 8L }).AsCollection);
        Assert.That(header.RootElement.GetProperty("__metadata__").GetProperty(SafeTensorsFile.ChecksumKey).GetString(), Has.Length.EqualTo(64));
        Assert.That(BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)headerLength + 4)), Is.EqualTo(2f));
        Assert.That(bytes, Has.Length.EqualTo(8 + (int)headerLength + 8));
    }

    [Test]
    public void Truncated_damaged_and_foreign_files_are_InvalidDataException()
    {
        string path = Path.Combine(Folder, "c.safetensors");
        SafeTensorsFile.Write(path, [new("w", TestData.Random(2, 1f, 4, 4))], new Dictionary<string, string>());
        byte[] good = File.ReadAllBytes(path);

        AssertInvalid(good[..5], "too short");
        AssertInvalid(good[..^3], "truncated");
        byte[] damaged = (byte[])good.Clone();
        damaged[^5] ^= 0x10;
        AssertInvalid(damaged, "checksum");
        byte[] huge = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(huge, ulong.MaxValue / 2);
        AssertInvalid(huge, "header claims");
        AssertInvalid(Foreign("""{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}""", 4), "has dtype 'F16'");
        AssertInvalid(Foreign("""{"w":{"dtype":"F32","shape":[1000000000,1000000000],"data_offsets":[0,4]}}""", 4), "more elements");
        AssertInvalid(Foreign("""[1,2,3]""", 0), "not a JSON object");
        AssertInvalid(Encoding.UTF8.GetBytes("PK\u0003\u0004 this is a zip file, not safetensors"), "header claims");
    }

    [Test]
    public void A_file_written_elsewhere_has_no_checksum_and_is_read_on_its_structure()
    {
        byte[] bytes = Foreign("""{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(bytes.Length - 8), 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(bytes.Length - 4), -2f);
        string path = Path.Combine(Folder, "torch.safetensors");
        File.WriteAllBytes(path, bytes);

        (IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata) = SafeTensorsFile.Read(path);
        Assert.That(tensors.Single().Key, Is.EqualTo("w"));
        Assert.That(tensors.Single().Value.ToArray(), Is.EqualTo(new[] { 1.5f, -2f }));
        Assert.That(metadata["format"], Is.EqualTo("pt"));

        byte[] counter = Foreign("""{"n":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"d":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}""", 16);
        BinaryPrimitives.WriteInt64LittleEndian(counter.AsSpan(counter.Length - 16), 12345);
        BinaryPrimitives.WriteDoubleLittleEndian(counter.AsSpan(counter.Length - 8), 0.25);
        File.WriteAllBytes(path, counter);
        Dictionary<string, Tensor> read = SafeTensorsFile.Read(path).Tensors.ToDictionary(t => t.Key, t => t.Value);
        Assert.That(read["n"].ToArray(), Is.EqualTo(new[] { 12345f }), "PyTorch's int64 counters read as floats");
        Assert.That(read["n"].Shape, Is.Empty);
        Assert.That(read["d"].ToArray(), Is.EqualTo(new[] { 0.25f }));
        AssertInvalid(Foreign("""{"n":{"dtype":"I64","shape":[2],"data_offsets":[0,8]}}""", 8), "needs 16");
    }

    [Test]
    public void A_directory_is_an_argument_error()
    {
        var error = Assert.Throws<ArgumentException>(() => SafeTensorsFile.Read(Folder));
        Assert.That(error!.ParamName, Is.EqualTo("path"));
        Assert.That(error.Message, Does.Contain("is a directory"));
    }

    [Test]
    public void Reserved_and_duplicate_names_are_rejected_on_write()
    {
        string path = Path.Combine(Folder, "d.safetensors");
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [new("a", new Tensor(1)), new("a", new Tensor(1))], new Dictionary<string, string>()));
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [new("__metadata__", new Tensor(1))], new Dictionary<string, string>()));
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [], new Dictionary<string, string> { [SafeTensorsFile.ChecksumKey] = "x" }));
        Assert.That(File.Exists(path), Is.False);
    }

    private void AssertInvalid(byte[] bytes, string message)
    {
        string path = Path.Combine(Folder, "broken.safetensors");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(path));
        Assert.That(ex!.Message, Does.Contain(message));
    }

    private static byte[] Foreign(string header, int dataBytes)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        byte[] bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }
}
