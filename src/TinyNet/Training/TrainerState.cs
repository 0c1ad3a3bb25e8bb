using System.Globalization;

namespace TinyNet.Training;

/// <summary>
/// Where a run stands at a step boundary, as a checkpoint records it: the position, every
/// counter, the epoch's running metrics, the random states, and the options that fix the
/// sample order and the counts (its fingerprint, checked before a resumed run starts).
/// </summary>
internal sealed class TrainerState
{
    public int Epoch { get; set; }

    public int BatchesDone { get; set; }

    public bool EpochComplete { get; set; }

    public int EpochsCompleted { get; set; }

    public long Iteration { get; set; }

    public long Step { get; set; }

    public long OptimizerSteps { get; set; }

    public float LearningRate { get; set; }

    public double EpochLossSum { get; set; }

    public long EpochSamples { get; set; }

    public long EpochCorrect { get; set; }

    public long EpochUnits { get; set; }

    public double[] EpochMetricSums { get; set; } = [];

    public ulong[] DropoutStates { get; set; } = [];

    public int SampleCount { get; set; }

    public int BatchSize { get; set; }

    public bool Shuffle { get; set; }

    public bool DropLast { get; set; }

    public int AccumulationSteps { get; set; }

    public int Seed { get; set; }

    public int Epochs { get; set; }

    public long? MaxSteps { get; set; }

    /// <summary>The processes of the run (1 without data parallelism; 0 in checkpoints that predate it, read as 1).</summary>
    public int Ranks { get; set; } = 1;

    public Trainer.RunningLoss EpochMetrics => new(EpochLossSum, EpochSamples, EpochCorrect, EpochUnits);

    /// <summary>
    /// Throws unless a run with these options (and, when given, this many samples) would visit the
    /// samples exactly as the saved run did. Epochs and MaxSteps may change: a run can be extended.
    /// </summary>
    public void CheckFits(int? sampleCount, TrainerOptions options)
    {
        var differences = new List<string>();
        if (sampleCount is int count && SampleCount > 0)
        {
            Compare(differences, "samples", SampleCount, count);
        }

        Compare(differences, nameof(options.BatchSize), BatchSize, options.BatchSize);
        Compare(differences, nameof(options.Shuffle), Shuffle, options.Shuffle);
        Compare(differences, nameof(options.DropLast), DropLast, options.DropLast);
        Compare(differences, nameof(options.AccumulationSteps), AccumulationSteps, options.AccumulationSteps);
        Compare(differences, nameof(options.Seed), Seed, options.Seed);
        Compare(differences, "ranks", Math.Max(Ranks, 1), options.DataParallel?.Size ?? 1);
        if (differences.Count > 0)
        {
            throw new InvalidOperationException(
                $"The checkpoint was taken with another plan, so resuming would not continue the same run: {string.Join("; ", differences)}.");
        }
    }

    private static void Compare<T>(List<string> differences, string name, T saved, T now)
    {
        if (!EqualityComparer<T>.Default.Equals(saved, now))
        {
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"{name} was {saved}, is {now}"));
        }
    }
}
