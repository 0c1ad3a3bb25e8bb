using System.Globalization;
using System.Text.Json;
using TinyNet.Layers;
using TinyNet.Serialization;

namespace TinyNet.Training;

/// <summary>Checkpoints: everything a run needs to continue exactly where it stood.</summary>
public sealed partial class Trainer
{
    internal const string CheckpointFormat = "checkpoint/1";
    private const string StateKey = "tinynet.trainer";

    /// <summary>
    /// Saves the parameters and buffers, the optimizer's state and step count, every counter and the position
    /// in the run, the options' fingerprint, the Dropout random states, and the state of the
    /// callbacks that have any (History, EarlyStopping), to a safetensors file (never half-written).
    /// Call it between runs or from a step or epoch hook: checkpoints are taken at step boundaries.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidOperationException">Called in the middle of an accumulation window.</exception>
    /// <remarks>With data parallelism every rank holds the same state, and rank 0 alone writes it.</remarks>
    public void SaveCheckpoint(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (_options.DataParallel is { Rank: not 0 })
        {
            return;
        }

        if (_windowOpen)
        {
            throw new InvalidOperationException(
                $"Checkpoints are taken at step boundaries; at {_context?.Position()} a window of accumulated gradients is still open.");
        }

        var tensors = new List<KeyValuePair<string, Tensor>>();
        var metadata = new Dictionary<string, string>
        {
            [ModelFile.FormatKey] = CheckpointFormat,
            [StateKey] = JsonSerializer.Serialize(CurrentState()),
        };
        foreach ((string name, Tensor value) in _model.StateTensors())
        {
            tensors.Add(new("model." + name, value));
        }

        foreach ((string name, Tensor[] perParameter) in _optimizer.State)
        {
            for (int i = 0; i < perParameter.Length; i++)
            {
                tensors.Add(new($"optimizer.{_optimizer.Parameters[i].Name}.{name}", perParameter[i]));
            }
        }

        foreach ((string prefix, ICheckpointState state) in StatefulCallbacks())
        {
            state.Save(prefix, metadata, tensors);
        }

        SafeTensorsFile.Write(path, tensors, metadata);
    }

    /// <summary>
    /// Loads a checkpoint saved by <see cref="SaveCheckpoint"/> into this trainer's model, optimizer
    /// and callbacks; the next <see cref="Fit"/> continues the saved run from its position, with
    /// the same sample order. Everything is checked before anything changes.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is damaged, not a TinyNet checkpoint, or does not fit this model, optimizer or callbacks.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint was taken with other batching options or another seed.</exception>
    public void LoadCheckpoint(string path)
    {
        (IReadOnlyList<KeyValuePair<string, Tensor>> list, IReadOnlyDictionary<string, string> metadata) = SafeTensorsFile.Read(path);
        if (!metadata.TryGetValue(ModelFile.FormatKey, out string? format) || format != CheckpointFormat)
        {
            throw new InvalidDataException($"{path} is not a TinyNet checkpoint ({ModelFile.FormatKey} is '{format ?? "missing"}', expected '{CheckpointFormat}').");
        }

        TrainerState state = ReadState(path, metadata);
        var tensors = list.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Dropout[] dropouts = Dropouts();
        state.CheckFits(sampleCount: null, _options);

        // Check every tensor against the model and the optimizer, and every callback's state, first.
        var expected = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach ((string name, Tensor value) in _model.StateTensors())
        {
            Expect(tensors, "model." + name, value, expected, problems);
        }

        foreach ((string name, Tensor[] perParameter) in _optimizer.State)
        {
            for (int i = 0; i < perParameter.Length; i++)
            {
                Expect(tensors, $"optimizer.{_optimizer.Parameters[i].Name}.{name}", perParameter[i], expected, problems);
            }
        }

        problems.AddRange(tensors.Keys.Where(k => (k.StartsWith("model.", StringComparison.Ordinal) || k.StartsWith("optimizer.", StringComparison.Ordinal)) && !expected.Contains(k)).Select(k => $"unexpected '{k}'"));
        if (state.DropoutStates.Length != dropouts.Length)
        {
            problems.Add($"{state.DropoutStates.Length} Dropout random states for {dropouts.Length} Dropout layers");
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{path} does not fit this trainer: {string.Join("; ", problems)}.");
        }

        var apply = new List<Action>();
        foreach ((string prefix, ICheckpointState callback) in StatefulCallbacks())
        {
            try
            {
                apply.Add(callback.Load(prefix, metadata, tensors, _model.StateTensors().ToArray()));
            }
            catch (Exception error) when (error is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}: the saved state of {callback.GetType().Name} is unreadable: {error.Message}", error);
            }
        }

        // Everything fits: apply.
        foreach (string name in expected)
        {
            tensors[name].AsSpan().CopyTo(Find(name).AsSpan());
        }

        for (int i = 0; i < dropouts.Length; i++)
        {
            dropouts[i].RandomState = state.DropoutStates[i];
        }

        foreach (Action action in apply)
        {
            action();
        }

        _optimizer.RestoreStepCount(state.OptimizerSteps);
        _optimizer.LearningRate = state.LearningRate;
        _resume = state;
    }

    private static void Expect(Dictionary<string, Tensor> tensors, string name, Tensor target, HashSet<string> expected, List<string> problems)
    {
        expected.Add(name);
        if (!tensors.TryGetValue(name, out Tensor? tensor))
        {
            problems.Add($"missing '{name}' {Tensor.FormatShape(target.Shape)}");
        }
        else if (!tensor.HasSameShape(target))
        {
            problems.Add($"'{name}' is {Tensor.FormatShape(tensor.Shape)} in the file but {Tensor.FormatShape(target.Shape)} here");
        }
    }

    private static TrainerState ReadState(string path, IReadOnlyDictionary<string, string> metadata)
    {
        try
        {
            return metadata.TryGetValue(StateKey, out string? json)
                ? JsonSerializer.Deserialize<TrainerState>(json) ?? throw new InvalidDataException($"{path}: the trainer state is null.")
                : throw new InvalidDataException($"{path}: no '{StateKey}' in the metadata.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path}: the trainer state is unreadable: {error.Message}", error);
        }
    }

    private Tensor Find(string name)
    {
        foreach ((string stateName, Tensor value) in _model.StateTensors())
        {
            if ("model." + stateName == name)
            {
                return value;
            }
        }

        foreach ((string kind, Tensor[] perParameter) in _optimizer.State)
        {
            for (int i = 0; i < perParameter.Length; i++)
            {
                if ($"optimizer.{_optimizer.Parameters[i].Name}.{kind}" == name)
                {
                    return perParameter[i];
                }
            }
        }

        throw new KeyNotFoundException(name);
    }

    private Dropout[] Dropouts() => _model.SelfAndDescendants().OfType<Dropout>().ToArray();

    private IEnumerable<(string Prefix, ICheckpointState State)> StatefulCallbacks()
    {
        yield return ("history", _history);
        for (int i = 0; i < Callbacks.Count; i++)
        {
            if (Callbacks[i] is ICheckpointState state)
            {
                yield return (string.Create(CultureInfo.InvariantCulture, $"callbacks.{i}.{Callbacks[i].GetType().Name}"), state);
            }
        }
    }

    private TrainerState CurrentState()
    {
        TrainingContext? context = _context;
        return new TrainerState
        {
            Epoch = context?.Epoch ?? 0,
            BatchesDone = _batchesDone,
            EpochComplete = context is null || context.Epoch == 0 || _epochComplete,
            EpochsCompleted = _epochsCompleted,
            Iteration = context?.Iteration ?? 0,
            Step = context?.Step ?? 0,
            OptimizerSteps = _optimizer.StepCount,
            LearningRate = _optimizer.LearningRate,
            EpochLossSum = _epochMetrics.LossSum,
            EpochSamples = _epochMetrics.Samples,
            EpochCorrect = _epochMetrics.Correct,
            EpochUnits = _epochMetrics.Units,
            EpochMetricSums = _trainMetrics?.State ?? [],
            DropoutStates = Dropouts().Select(d => d.RandomState).ToArray(),
            SampleCount = context?.Plan.SampleCount ?? 0,
            BatchSize = _options.BatchSize,
            Shuffle = _options.Shuffle,
            DropLast = _options.DropLast,
            AccumulationSteps = _options.AccumulationSteps,
            Seed = _options.Seed,
            Epochs = _options.Epochs,
            MaxSteps = _options.MaxSteps,
            Ranks = _options.DataParallel?.Size ?? 1,
        };
    }
}
