using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TinyNet.Serialization;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON
/// header (each tensor's dtype, shape and byte offsets, plus a string-to-string
/// <c>__metadata__</c>), then the tensors' little-endian bytes back to back. TinyNet writes F32
/// only (it reads F64 and I64 too, such as PyTorch's <c>num_batches_tracked</c>, as floats), and
/// keeps in the metadata a SHA-256 over everything the header says and all the data, so damage that leaves the header well-formed is still found. Every field is validated and
/// sizes are checked against the file's length before anything large is allocated.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>The metadata key of TinyNet's checksum.</summary>
    public const string ChecksumKey = "tinynet.sha256";

    private const int MaxHeaderBytes = 16 << 20;

    /// <summary>Writes tensors and metadata to <paramref name="path"/>, through a temporary file moved into place.</summary>
    /// <param name="path">The file to write; replaced whole, never half-written.</param>
    /// <param name="tensors">Named tensors; names unique and non-empty.</param>
    /// <param name="metadata">String metadata; the key <see cref="ChecksumKey"/> is TinyNet's own.</param>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, Tensor tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name) || name == "__metadata__" || !names.Add(name))
            {
                throw new ArgumentException($"Tensor names must be unique, non-empty and not '__metadata__'; '{name}' is not.", nameof(tensors));
            }

            ArgumentNullException.ThrowIfNull(tensor);
        }

        if (metadata.ContainsKey(ChecksumKey))
        {
            throw new ArgumentException($"The metadata key '{ChecksumKey}' is reserved for TinyNet's checksum.", nameof(metadata));
        }

        var entries = new List<TensorEntry>();
        long offset = 0;
        foreach ((string name, Tensor tensor) in tensors)
        {
            long bytes = (long)tensor.Length * sizeof(float);
            entries.Add(new TensorEntry(name, [.. tensor.Shape], offset, offset + bytes, "F32"));
            offset += bytes;
        }

        byte[] data = new byte[offset];
        for (int i = 0; i < tensors.Count; i++)
        {
            Span<byte> target = data.AsSpan((int)entries[i].Begin, (int)(entries[i].End - entries[i].Begin));
            ReadOnlySpan<float> values = tensors[i].Value.AsSpan();
            for (int j = 0; j < values.Length; j++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(target.Slice(j * 4, 4), values[j]);
            }
        }

        var allMetadata = new SortedDictionary<string, string>(metadata.ToDictionary(), StringComparer.Ordinal)
        {
            [ChecksumKey] = Checksum(entries, metadata, data),
        };
        byte[] header = BuildHeader(entries, allMetadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            stream.Write(data);
        });
    }

    /// <summary>Reads and validates a file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The tensors, by name, in file order, and the metadata.</returns>
    /// <exception cref="InvalidDataException">The file is truncated, corrupted, not safetensors, not F32, or fails its checksum (files written by TinyNet carry one; others are checked on their structure).</exception>
    /// <exception cref="ArgumentException">The path is a directory.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static (IReadOnlyList<KeyValuePair<string, Tensor>> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            throw new ArgumentException($"{path} is a directory, not a safetensors file.", nameof(path));
        }

        byte[] file = File.ReadAllBytes(path);
        try
        {
            return Parse(file, path);
        }
        catch (Exception error) when (error is JsonException or FormatException or OverflowException or ArgumentException or InvalidOperationException or KeyNotFoundException or DecoderFallbackException)
        {
            throw new InvalidDataException($"{path} is not a valid safetensors file: {error.Message}", error);
        }
    }

    private static (IReadOnlyList<KeyValuePair<string, Tensor>>, IReadOnlyDictionary<string, string>) Parse(byte[] file, string path)
    {
        if (file.Length < 8)
        {
            throw new InvalidDataException($"{path} is {file.Length} bytes long: too short for a safetensors header.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)Math.Min(file.Length - 8, MaxHeaderBytes))
        {
            throw new InvalidDataException($"{path}: the header claims {headerLength} bytes but the file holds {file.Length - 8} after the length.");
        }

        int dataStart = 8 + (int)headerLength;
        long dataLength = file.Length - dataStart;
        using JsonDocument document = JsonDocument.Parse(
            new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file, 8, (int)headerLength),
            new JsonDocumentOptions { MaxDepth = 8 });
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: the header is not a JSON object.");
        }

        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<TensorEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw new InvalidDataException($"{path}: the header names '{property.Name}' twice.");
            }

            if (property.Name == "__metadata__")
            {
                foreach (JsonProperty item in Object(property.Value, "__metadata__").EnumerateObject())
                {
                    metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String
                        ? item.Value.GetString()!
                        : throw new InvalidDataException($"{path}: metadata '{item.Name}' is not a string.");
                }

                continue;
            }

            entries.Add(ParseEntry(property, path));
        }

        // The tensors must tile the data section exactly: in order, no gaps, no overlaps.
        entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        long expected = 0;
        foreach (TensorEntry entry in entries)
        {
            if (entry.Begin != expected)
            {
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' starts at byte {entry.Begin}, expected {expected} (gap or overlap).");
            }

            expected = entry.End;
        }

        if (expected != dataLength)
        {
            throw new InvalidDataException($"{path}: the tensors cover {expected} bytes but the data section holds {dataLength} (truncated or padded).");
        }

        // TinyNet's own files carry a checksum, and it must match; a file written elsewhere (by
        // PyTorch's safetensors, say) has none and is taken on its structure alone.
        ReadOnlySpan<byte> data = file.AsSpan(dataStart);
        if (metadata.Remove(ChecksumKey, out string? checksum) && !string.Equals(checksum, Checksum(entries, metadata, data), StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: the checksum does not match: the file is damaged.");
        }

        var tensors = new List<KeyValuePair<string, Tensor>>(entries.Count);
        foreach (TensorEntry entry in entries)
        {
            var tensor = new Tensor(entry.Shape);
            Span<float> values = tensor.AsSpan();
            ReadOnlySpan<byte> bytes = data.Slice((int)entry.Begin, (int)(entry.End - entry.Begin));
            for (int j = 0; j < values.Length; j++)
            {
                values[j] = entry.DType switch
                {
                    "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(j * 8, 8)),
                    "I64" => BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(j * 8, 8)),
                    _ => BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(j * 4, 4)),
                };
            }

            tensors.Add(new(entry.Name, tensor));
        }

        return (tensors, metadata);
    }

    private static TensorEntry ParseEntry(JsonProperty property, string path)
    {
        JsonElement value = Object(property.Value, property.Name);
        string dtype = value.GetProperty("dtype").GetString() ?? string.Empty;
        int elementSize = dtype switch
        {
            "F32" => 4,
            "F64" or "I64" => 8,
            _ => throw new InvalidDataException($"{path}: tensor '{property.Name}' has dtype '{dtype}'; TinyNet reads F32 (and F64 and I64, converted to F32) only."),
        };

        JsonElement shapeElement = value.GetProperty("shape");
        if (shapeElement.ValueKind != JsonValueKind.Array || shapeElement.GetArrayLength() > 8)
        {
            throw new InvalidDataException($"{path}: tensor '{property.Name}' has a malformed shape.");
        }

        int[] shape = shapeElement.EnumerateArray().Select(d => d.GetInt32()).ToArray();
        long count = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 0)
            {
                throw new InvalidDataException($"{path}: tensor '{property.Name}' has a negative dimension.");
            }

            count = checked(count * dimension);
            if (count > Array.MaxLength)
            {
                throw new InvalidDataException($"{path}: tensor '{property.Name}' claims more elements than an array holds.");
            }
        }

        JsonElement offsets = value.GetProperty("data_offsets");
        if (offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw new InvalidDataException($"{path}: tensor '{property.Name}' has malformed data_offsets.");
        }

        long begin = offsets[0].GetInt64();
        long end = offsets[1].GetInt64();
        if (begin < 0 || end - begin != count * elementSize)
        {
            throw new InvalidDataException($"{path}: tensor '{property.Name}' spans bytes [{begin}, {end}) but its shape needs {count * elementSize}.");
        }

        if (value.EnumerateObject().Count() != 3)
        {
            throw new InvalidDataException($"{path}: tensor '{property.Name}' has fields other than dtype, shape and data_offsets.");
        }

        return new TensorEntry(property.Name, shape, begin, end, dtype);
    }

    private static JsonElement Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new InvalidDataException($"'{name}' is not a JSON object.");

    private static byte[] BuildHeader(List<TensorEntry> entries, SortedDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            foreach ((string key, string value) in metadata)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            foreach (TensorEntry entry in entries)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int dimension in entry.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(entry.Begin);
                json.WriteNumberValue(entry.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>SHA-256 over every tensor's description (in name order), every metadata pair (in key order) and the data.</summary>
    private static string Checksum(IEnumerable<TensorEntry> entries, IEnumerable<KeyValuePair<string, string>> metadata, ReadOnlySpan<byte> data)
    {
        var described = new StringBuilder();
        foreach (TensorEntry entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            described.Append(CultureInfo.InvariantCulture, $"{entry.Name}\0F32\0{string.Join(',', entry.Shape)}\0{entry.Begin}\0{entry.End}\n");
        }

        foreach ((string key, string value) in metadata.Where(p => p.Key != ChecksumKey).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            described.Append(key).Append('\0').Append(value).Append('\n');
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(described.ToString()));
        hash.AppendData(data);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>One tensor of the header; written files hold F32 only, read ones may hold F64 or I64 (PyTorch's counters), converted to F32.</summary>
    private sealed record TensorEntry(string Name, int[] Shape, long Begin, long End, string DType);
}
