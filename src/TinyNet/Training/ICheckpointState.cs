namespace TinyNet.Training;

/// <summary>A callback with state that a checkpoint must carry for an exact resume.</summary>
internal interface ICheckpointState
{
    /// <summary>Adds the state under <paramref name="prefix"/>: strings to the metadata, arrays as tensors.</summary>
    void Save(string prefix, IDictionary<string, string> metadata, IList<KeyValuePair<string, Tensor>> tensors);

    /// <summary>
    /// Validates the saved state and returns the action that applies it; throws
    /// <see cref="InvalidDataException"/> (changing nothing) when it is missing or does not fit.
    /// </summary>
    Action Load(string prefix, IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyList<KeyValuePair<string, Tensor>> modelState);
}
