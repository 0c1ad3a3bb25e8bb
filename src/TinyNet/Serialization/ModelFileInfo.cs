using TinyNet.Data;

namespace TinyNet.Serialization;

/// <summary>What a model file keeps besides the weights, as <see cref="ModelFile.Load"/> found it.</summary>
/// <param name="Standardizer">The standardizer saved with the model, or null.</param>
/// <param name="ClassLabels">The label of each class index saved with the model, or null.</param>
public sealed record ModelFileInfo(Standardizer? Standardizer, IReadOnlyList<string>? ClassLabels);
