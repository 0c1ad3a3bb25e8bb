using System.Globalization;

namespace TinyNet.Training.Callbacks;

/// <summary>
/// Saves the trainer's checkpoint every N steps and/or at every epoch's end into a folder,
/// keeping the last K files it wrote, and optionally <c>best.safetensors</c> whenever a monitored
/// value improves. Files are named <c>step-00000123.safetensors</c> and written atomically, so a
/// crash never leaves a half-written file and the previous checkpoint survives.
/// </summary>
public sealed class Checkpoint : TrainingCallback
{
    private readonly Trainer _trainer;
    private readonly Queue<string> _written = new();
    private float _best;

    /// <summary>Creates the callback.</summary>
    /// <param name="trainer">The trainer whose state is saved (the one this callback is added to).</param>
    /// <param name="directory">The folder; created if missing.</param>
    /// <param name="everySteps">Save every this many steps; 0 for never.</param>
    /// <param name="everyEpoch">Save at the end of every epoch.</param>
    /// <param name="keepLast">How many of the step and epoch files to keep; at least 1.</param>
    /// <param name="best">Also keep <c>best.safetensors</c> for the best epoch by this value; null for no.</param>
    public Checkpoint(Trainer trainer, string directory, int everySteps = 0, bool everyEpoch = true, int keepLast = 3, MonitoredValue? best = null)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(everySteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        if (everySteps == 0 && !everyEpoch && best is null)
        {
            throw new ArgumentException("The checkpoint callback would never save: give everySteps, everyEpoch or best.", nameof(everySteps));
        }

        _trainer = trainer;
        Directory = Path.GetFullPath(directory);
        EverySteps = everySteps;
        EveryEpoch = everyEpoch;
        KeepLast = keepLast;
        Best = best;
    }

    /// <summary>The folder of the checkpoints.</summary>
    public string Directory { get; }

    /// <summary>Steps between saves; 0 for none.</summary>
    public int EverySteps { get; }

    /// <summary>Whether every epoch's end is saved.</summary>
    public bool EveryEpoch { get; }

    /// <summary>How many step and epoch files are kept.</summary>
    public int KeepLast { get; }

    /// <summary>The value that decides <c>best.safetensors</c>, if any.</summary>
    public MonitoredValue? Best { get; }

    /// <summary>The path of <c>best.safetensors</c>.</summary>
    public string BestPath => Path.Combine(Directory, "best.safetensors");

    /// <summary>The files written and still kept, oldest first.</summary>
    public IReadOnlyCollection<string> Kept => _written;

    /// <inheritdoc/>
    public override void OnTrainBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.IsPrimary)
        {
            return; // With data parallelism, rank 0 alone prints and writes.
        }

        System.IO.Directory.CreateDirectory(Directory);
        _best = Best?.DefaultMode() == MonitorMode.Max ? float.NegativeInfinity : float.PositiveInfinity;
    }

    /// <inheritdoc/>
    public override void OnStepEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.IsPrimary)
        {
            return; // With data parallelism, rank 0 alone prints and writes.
        }

        if (EverySteps > 0 && context.Step % EverySteps == 0)
        {
            Save(context);
        }
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.IsPrimary)
        {
            return; // With data parallelism, rank 0 alone prints and writes.
        }

        // A step save at this very step already wrote the epoch's file.
        if (EveryEpoch && _written.LastOrDefault() != StepPath(context))
        {
            Save(context);
        }

        if (Best is MonitoredValue monitored)
        {
            float value = monitored.Read(context);
            bool better = monitored.DefaultMode() == MonitorMode.Max ? value > _best : value < _best;
            if (better)
            {
                _best = value;
                _trainer.SaveCheckpoint(BestPath);
            }
        }
    }

    private string StepPath(TrainingContext context) =>
        Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"step-{context.Step:D8}.safetensors"));

    private void Save(TrainingContext context)
    {
        string path = StepPath(context);
        _trainer.SaveCheckpoint(path);
        if (!_written.Contains(path))
        {
            _written.Enqueue(path);
        }

        while (_written.Count > KeepLast)
        {
            File.Delete(_written.Dequeue());
        }
    }
}
