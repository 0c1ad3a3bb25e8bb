using System.Text.Json;
using TinyNet.Data;
using TinyNet.Layers;

namespace TinyNet.Serialization;

/// <summary>
/// A model's weights as a safetensors file, named like a PyTorch state dict (<c>0.weight</c>,
/// <c>0.bias</c>, ...), so other ecosystems' safetensors readers open it too.
/// </summary>
public static class ModelFile
{
    /// <summary>The metadata key that marks a TinyNet model file and its format version.</summary>
    public const string FormatKey = "tinynet.format";

    internal const string ModelFormat = "model/1";

    /// <summary>The metadata key of a saved <see cref="Standardizer"/>.</summary>
    internal const string StandardizerKey = "tinynet.standardizer";

    /// <summary>The metadata key of saved class labels.</summary>
    internal const string ClassLabelsKey = "tinynet.class_labels";

    /// <summary>
    /// Writes the model's parameters to <paramref name="path"/> (never half-written), with what
    /// prediction needs besides the weights: the input standardizer and the class labels, kept
    /// in the file's metadata so that the tensors stay exactly the model's state dict.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The file.</param>
    /// <param name="standardizer">The standardizer the model's inputs went through, if any.</param>
    /// <param name="classLabels">The label of each class index, if the model is a classifier of named classes.</param>
    public static void Save(this Layer model, string path, Standardizer? standardizer = null, IReadOnlyList<string>? classLabels = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var metadata = new Dictionary<string, string> { [FormatKey] = ModelFormat };
        if (standardizer is not null)
        {
            metadata[StandardizerKey] = standardizer.ToJson();
        }

        if (classLabels is not null)
        {
            metadata[ClassLabelsKey] = JsonSerializer.Serialize(classLabels);
        }

        SafeTensorsFile.Write(path, model.StateTensors().ToArray(), metadata);
    }

    /// <summary>
    /// Reads parameters saved by <see cref="Save"/>, or a state dict saved elsewhere as
    /// safetensors (by PyTorch, say: F32 tensors under the same names), into
    /// <paramref name="model"/>. Every tensor is checked first: a missing, extra or differently
    /// shaped tensor fails with all of them named, and the model is left untouched.
    /// </summary>
    /// <param name="model">A model of the same architecture.</param>
    /// <param name="path">The file.</param>
    /// <returns>What the file keeps besides the weights: the standardizer and class labels, when saved.</returns>
    /// <exception cref="InvalidDataException">The file is damaged, another kind of TinyNet file, or does not fit the model.</exception>
    public static ModelFileInfo Load(this Layer model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        (IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata) = SafeTensorsFile.Read(path);
        if (metadata.TryGetValue(FormatKey, out string? format) && format != ModelFormat)
        {
            throw new InvalidDataException($"{path} is not a TinyNet model file ({FormatKey} is '{format}', expected '{ModelFormat}').");
        }

        ModelFileInfo info;
        try
        {
            info = new ModelFileInfo(
                metadata.TryGetValue(StandardizerKey, out string? standardizer) ? Standardizer.FromJson(standardizer) : null,
                metadata.TryGetValue(ClassLabelsKey, out string? labels) ? JsonSerializer.Deserialize<string[]>(labels) : null);
        }
        catch (Exception error) when (error is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: the saved standardizer or class labels are unreadable: {error.Message}", error);
        }

        Assign(model.StateTensors().ToArray(), tensors.ToDictionary(p => p.Key, p => p.Value), prefix: string.Empty, path);
        return info;
    }

    /// <summary>Copies named tensors into a model's state (parameters and buffers) after checking that they match exactly; all or nothing.</summary>
    internal static void Assign(IReadOnlyList<KeyValuePair<string, Tensor>> state, IReadOnlyDictionary<string, Tensor> tensors, string prefix, string path)
    {
        var problems = new List<string>();
        foreach ((string name, Tensor value) in state)
        {
            if (!tensors.TryGetValue(prefix + name, out Tensor? tensor))
            {
                problems.Add($"missing '{prefix}{name}' {Tensor.FormatShape(value.Shape)}");
            }
            else if (!tensor.HasSameShape(value))
            {
                problems.Add($"'{prefix}{name}' is {Tensor.FormatShape(tensor.Shape)} in the file but {Tensor.FormatShape(value.Shape)} in the model");
            }
        }

        var expected = state.Select(p => prefix + p.Key).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(tensors.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !expected.Contains(k)).Select(k => $"unexpected '{k}'"));
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{path} does not fit the model: {string.Join("; ", problems)}.");
        }

        foreach ((string name, Tensor value) in state)
        {
            tensors[prefix + name].AsSpan().CopyTo(value.AsSpan());
        }
    }
}
