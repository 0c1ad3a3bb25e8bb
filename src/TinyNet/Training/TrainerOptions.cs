namespace TinyNet.Training;

/// <summary>How a <see cref="Trainer"/> runs: the counts that make up its <see cref="TrainingPlan"/>.</summary>
public sealed class TrainerOptions
{
    /// <summary>Full passes over the training set; at least 1. Default 1.</summary>
    public int Epochs { get; set; } = 1;

    /// <summary>Samples per batch; at least 1. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Visit the samples in a new random order each epoch, derived from (Seed, epoch). Default true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Drop the last batch of an epoch when it is short. Default false.</summary>
    public bool DropLast { get; set; }

    /// <summary>Iterations whose gradients are summed into one step; at least 1. Default 1.</summary>
    public int AccumulationSteps { get; set; } = 1;

    /// <summary>Stop after this many steps, even mid-epoch; null for no limit. At least 1 when set.</summary>
    public long? MaxSteps { get; set; }

    /// <summary>The seed of the sample order. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Sets the optimizer's learning rate before every step from the step count; null keeps the optimizer's own rate.</summary>
    public Optimizers.LearningRateSchedule? Schedule { get; set; }

    /// <summary>Scan the datasets for NaN and infinities before training, and reject them up front. Default false.</summary>
    public bool CheckFiniteData { get; set; }

    /// <summary>
    /// Metrics to compute per epoch, for training and validation alike, by their
    /// <see cref="Metrics.MetricNames"/> (<c>"f1"</c>, <c>"rmse"</c>, ...); they appear in
    /// <see cref="EpochRecord"/>, the context's <see cref="TrainingContext.EpochMetrics"/>, the
    /// progress line and the CSV log. Each must be a metric of the trainer's loss. Default none.
    /// </summary>
    public IReadOnlyList<string> Metrics { get; set; } = [];

    /// <summary>
    /// Trains data-parallel across the processes of this group (e.g. <c>TinyNet.Distributed.MpiGroup</c>):
    /// every rank runs the same program on the same data; each global batch of BatchSize x ranks
    /// samples is cut into consecutive shards of <see cref="BatchSize"/>, one per rank in rank
    /// order; every rank's gradients are summed in rank order and every rank applies the same
    /// step. The plan counts global batches. Null (the default): one process.
    /// </summary>
    public DataParallelGroup? DataParallel { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (Metrics is null)
        {
            throw new ArgumentNullException(nameof(Metrics), "TrainerOptions.Metrics must be a list (empty for none).");
        }

        Check(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Check(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        Check(AccumulationSteps >= 1, nameof(AccumulationSteps), AccumulationSteps, "at least 1");
        Check(MaxSteps is null or >= 1, nameof(MaxSteps), MaxSteps, "at least 1 when set");
    }

    private static void Check(bool valid, string name, object? value, string rule)
    {
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(name, value, $"TrainerOptions.{name} must be {rule}; it is {value}.");
        }
    }
}
