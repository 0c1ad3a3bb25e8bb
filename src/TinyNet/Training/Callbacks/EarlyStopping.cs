using System.Globalization;
using System.Text.Json;

namespace TinyNet.Training.Callbacks;

/// <summary>
/// Stops training when a monitored value has not improved by at least <see cref="MinDelta"/> for
/// <see cref="Patience"/> epochs, and (by default) puts back the weights of the best epoch
/// whenever training ends, however it ends. Its state is reset when training begins, so one
/// instance can serve several runs.
/// </summary>
public sealed class EarlyStopping : TrainingCallback, ICheckpointState
{
    private float[][] _bestWeights = [];
    private float _best;
    private int _bestEpoch;
    private int _waited;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The value to watch. Default: the validation loss.</param>
    /// <param name="patience">Epochs without improvement before stopping; at least 1.</param>
    /// <param name="minDelta">The least change that counts as an improvement; zero or positive.</param>
    /// <param name="mode">Whether lower or higher is better; by default, lower for losses and higher for accuracies.</param>
    /// <param name="restoreBestWeights">Put back the best epoch's weights when training ends.</param>
    public EarlyStopping(
        MonitoredValue monitor = MonitoredValue.ValidationLoss, int patience = 5, float minDelta = 0f, MonitorMode? mode = null, bool restoreBestWeights = true)
    {
        if (!Enum.IsDefined(monitor))
        {
            throw new ArgumentOutOfRangeException(nameof(monitor), monitor, "Unknown monitor.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        if (!(minDelta >= 0f) || float.IsInfinity(minDelta))
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "minDelta must be finite and zero or positive.");
        }

        Monitor = monitor;
        Patience = patience;
        MinDelta = minDelta;
        Mode = mode ?? monitor.DefaultMode();
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>The value watched.</summary>
    public MonitoredValue Monitor { get; }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>The least change that counts as an improvement.</summary>
    public float MinDelta { get; }

    /// <summary>Whether lower or higher is better.</summary>
    public MonitorMode Mode { get; }

    /// <summary>Whether the best weights are put back when training ends.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The best value seen in the current (or last) run, or null before the first epoch ends.</summary>
    public float? BestValue => _bestEpoch == 0 ? null : _best;

    /// <summary>The epoch of the best value, 0 before the first epoch ends.</summary>
    public int BestEpoch => _bestEpoch;

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Resumed && _bestWeights.Length == context.Model.StateTensors().Count())
        {
            return; // The checkpoint restored the state of the run this one continues.
        }

        _bestEpoch = 0;
        _waited = 0;
        _best = Mode == MonitorMode.Min ? float.PositiveInfinity : float.NegativeInfinity;
        _bestWeights = context.Model.StateTensors().Select(p => new float[p.Value.Length]).ToArray();
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        float value = Monitor.Read(context);
        bool improved = Mode == MonitorMode.Min ? value < _best - MinDelta : value > _best + MinDelta;
        if (improved || _bestEpoch == 0)
        {
            _best = value;
            _bestEpoch = context.Epoch;
            _waited = 0;
            int i = 0;
            foreach ((_, Tensor tensor) in context.Model.StateTensors())
            {
                tensor.AsSpan().CopyTo(_bestWeights[i++]);
            }

            return;
        }

        _waited++;
        if (_waited >= Patience)
        {
            context.StopTraining(string.Create(
                CultureInfo.InvariantCulture,
                $"early stopping: {Monitor} has not improved for {Patience} epochs (best {_best:G5} at epoch {_bestEpoch})"));
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!RestoreBestWeights || _bestEpoch == 0)
        {
            return;
        }

        int i = 0;
        foreach ((_, Tensor value) in context.Model.StateTensors())
        {
            _bestWeights[i++].CopyTo(value.AsSpan());
        }
    }

    void ICheckpointState.Save(string prefix, IDictionary<string, string> metadata, IList<KeyValuePair<string, Tensor>> tensors)
    {
        metadata[prefix + ".state"] = JsonSerializer.Serialize(new[] { _best, _bestEpoch, _waited });
        for (int i = 0; i < _bestWeights.Length; i++)
        {
            tensors.Add(new(string.Create(CultureInfo.InvariantCulture, $"{prefix}.best.{i}"), Tensor.FromArray(_bestWeights[i], _bestWeights[i].Length)));
        }
    }

    Action ICheckpointState.Load(string prefix, IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyList<KeyValuePair<string, Tensor>> modelState)
    {
        float[] state = JsonSerializer.Deserialize<float[]>(metadata[prefix + ".state"]) ?? [];
        if (state.Length != 3)
        {
            throw new FormatException("The early-stopping state needs three numbers.");
        }

        var weights = new List<float[]>();
        while (tensors.TryGetValue(string.Create(CultureInfo.InvariantCulture, $"{prefix}.best.{weights.Count}"), out Tensor? tensor))
        {
            weights.Add(tensor.ToArray());
        }

        // Saved before the first epoch ended, there are no best weights yet; otherwise one per parameter and buffer.
        bool fits = weights.Count == 0
            || (weights.Count == modelState.Count && weights.Select(w => w.Length).SequenceEqual(modelState.Select(p => p.Value.Length)));
        if (!fits)
        {
            throw new InvalidOperationException("The saved best weights do not match the model's parameters.");
        }

        return () =>
        {
            _best = state[0];
            _bestEpoch = (int)state[1];
            _waited = (int)state[2];
            _bestWeights = [.. weights];
        };
    }
}
