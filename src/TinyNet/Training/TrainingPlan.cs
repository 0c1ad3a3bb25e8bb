using System.Globalization;
using System.Text;

namespace TinyNet.Training;

/// <summary>
/// Every count of a training run, computed in one place from the sample count and the options:
/// batches, iterations and steps per epoch and in all, and which limit ends training.
/// Nobody divides samples by batch size anywhere else.
/// </summary>
public sealed class TrainingPlan
{
    private TrainingPlan(int sampleCount, TrainerOptions options)
    {
        SampleCount = sampleCount;
        Ranks = options.DataParallel?.Size ?? 1;
        BatchSize = checked(options.BatchSize * Ranks);
        DropLast = options.DropLast;
        AccumulationSteps = options.AccumulationSteps;
        Epochs = options.Epochs;
        MaxSteps = options.MaxSteps;

        // Batches: ceil(N / B), or floor(N / B) when a short last batch is dropped.
        int full = sampleCount / BatchSize;
        int rest = sampleCount - (full * BatchSize);
        BatchesPerEpoch = rest > 0 && !DropLast ? full + 1 : full;
        LastBatchSize = rest > 0 && !DropLast ? rest : BatchSize;
        IterationsPerEpoch = BatchesPerEpoch;

        // Steps: one per window of A batches; the last window of an epoch may be shorter.
        StepsPerEpoch = (BatchesPerEpoch + AccumulationSteps - 1) / AccumulationSteps;
        long plannedSteps = (long)Epochs * StepsPerEpoch;
        if (MaxSteps is long cap && cap < plannedSteps)
        {
            Limit = PlanLimit.MaxSteps;
            TotalSteps = cap;
            long fullEpochs = cap / StepsPerEpoch;
            long stepsInLast = cap - (fullEpochs * StepsPerEpoch);
            TotalIterations = (fullEpochs * IterationsPerEpoch) + (stepsInLast * AccumulationSteps);
            EpochsStarted = (int)(fullEpochs + (stepsInLast > 0 ? 1 : 0));
        }
        else
        {
            Limit = PlanLimit.Epochs;
            TotalSteps = plannedSteps;
            TotalIterations = (long)Epochs * IterationsPerEpoch;
            EpochsStarted = Epochs;
        }

        Warnings = CollectWarnings();
    }

    /// <summary>Samples in the training set (N).</summary>
    public int SampleCount { get; }

    /// <summary>Samples per batch (B); with data parallelism the global batch, every rank's <see cref="TrainerOptions.BatchSize"/> together.</summary>
    public int BatchSize { get; }

    /// <summary>The processes that train together (<see cref="TrainerOptions.DataParallel"/>); 1 without data parallelism.</summary>
    public int Ranks { get; }

    /// <summary>Whether a short last batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>Batches per epoch: ceil(N / B), or floor(N / B) with DropLast. A per-epoch count.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Samples in the last batch of an epoch: N - (batches - 1) B when kept, else B.</summary>
    public int LastBatchSize { get; }

    /// <summary>Iterations whose gradients make one step (A).</summary>
    public int AccumulationSteps { get; }

    /// <summary>Iterations per epoch: one per batch.</summary>
    public int IterationsPerEpoch { get; }

    /// <summary>Steps per epoch: ceil(batches per epoch / A).</summary>
    public int StepsPerEpoch { get; }

    /// <summary>Epochs asked for.</summary>
    public int Epochs { get; }

    /// <summary>Epochs that begin: all of them, or fewer when MaxSteps ends training first.</summary>
    public int EpochsStarted { get; }

    /// <summary>The step limit, if any.</summary>
    public long? MaxSteps { get; }

    /// <summary>Iterations in all.</summary>
    public long TotalIterations { get; }

    /// <summary>Steps in all: epochs * steps per epoch, capped by MaxSteps.</summary>
    public long TotalSteps { get; }

    /// <summary>Which limit ends training.</summary>
    public PlanLimit Limit { get; }

    /// <summary>Things about this plan worth a second look (a 1-sample last batch, a window larger than an epoch, ...).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Computes the plan for <paramref name="sampleCount"/> samples.</summary>
    /// <param name="sampleCount">Samples in the training set; at least 1.</param>
    /// <param name="options">The options; validated here.</param>
    /// <returns>The plan.</returns>
    public static TrainingPlan Create(int sampleCount, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleCount, 1);
        int batchSize = options.BatchSize * (options.DataParallel?.Size ?? 1);
        if (options.DropLast && sampleCount < batchSize)
        {
            throw new ArgumentException(
                $"With DropLast, {sampleCount} samples and batch size {batchSize} leave no batch to train on.", nameof(options));
        }

        return new TrainingPlan(sampleCount, options);
    }

    /// <summary>The samples in batch <paramref name="batch"/> (1-based) of an epoch.</summary>
    /// <param name="batch">The batch number, 1 to <see cref="BatchesPerEpoch"/>.</param>
    /// <returns>B, or <see cref="LastBatchSize"/> for the last batch.</returns>
    public int BatchSizeOf(int batch) => batch == BatchesPerEpoch ? LastBatchSize : BatchSize;

    /// <summary>The batches of the window (step) that batch <paramref name="batch"/> (1-based) belongs to.</summary>
    /// <param name="batch">The batch number, 1 to <see cref="BatchesPerEpoch"/>.</param>
    /// <returns>The first and last batch numbers of its window.</returns>
    public (int First, int Last) WindowOf(int batch)
    {
        int first = ((batch - 1) / AccumulationSteps * AccumulationSteps) + 1;
        return (first, Math.Min(first + AccumulationSteps - 1, BatchesPerEpoch));
    }

    /// <summary>
    /// Says the plan in words, e.g. "1500 samples, batch size 100 -> 15 batches per epoch (the last
    /// holds 100); 1 iteration per step -> 15 steps per epoch; 3 epochs -> 45 iterations and 45 steps."
    /// </summary>
    /// <returns>The plan, with any warnings on lines of their own.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{SampleCount} samples, batch size {BatchSize}");
        if (Ranks > 1)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({Ranks} ranks x {BatchSize / Ranks})");
        }

        text.Append(CultureInfo.InvariantCulture, $" -> {Plural(BatchesPerEpoch, "batch", "batches")} per epoch ");
        text.Append(DropLast && SampleCount % BatchSize != 0
            ? string.Create(CultureInfo.InvariantCulture, $"(the last {SampleCount % BatchSize} samples dropped); ")
            : string.Create(CultureInfo.InvariantCulture, $"(the last holds {LastBatchSize}); "));
        text.Append(CultureInfo.InvariantCulture, $"{Plural(AccumulationSteps, "iteration", "iterations")} per step -> {Plural(StepsPerEpoch, "step", "steps")} per epoch");
        if (AccumulationSteps > 1)
        {
            text.Append(" (windows of ").Append(DescribeWindows()).Append(')');
        }

        text.Append(CultureInfo.InvariantCulture, $"; {Plural(Epochs, "epoch", "epochs")} -> ");
        if (Limit == PlanLimit.MaxSteps)
        {
            text.Append(CultureInfo.InvariantCulture, $"MaxSteps {MaxSteps} ends training first, in epoch {EpochsStarted} -> ");
        }

        text.Append(CultureInfo.InvariantCulture, $"{Plural(TotalIterations, "iteration", "iterations")} and {Plural(TotalSteps, "step", "steps")}.");
        foreach (string warning in Warnings)
        {
            text.Append("\nWarning: ").Append(warning);
        }

        return text.ToString();
    }

    private static string Plural(long count, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}");

    private string DescribeWindows()
    {
        var sizes = new List<int>();
        for (int first = 1; first <= BatchesPerEpoch; first += AccumulationSteps)
        {
            sizes.Add(Math.Min(AccumulationSteps, BatchesPerEpoch - first + 1));
        }

        string shown = sizes.Count <= 6
            ? string.Join(", ", sizes)
            : string.Join(", ", sizes.Take(3)) + ", ..., " + sizes[^1];
        return shown + (sizes.Count == 1 && sizes[0] == 1 ? " batch" : " batches");
    }

    private string[] CollectWarnings()
    {
        var warnings = new List<string>();
        if (BatchSize > SampleCount)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"the batch size {BatchSize} is larger than the {SampleCount} samples: every epoch is one short batch."));
        }
        else if (LastBatchSize == 1 && BatchesPerEpoch > 1)
        {
            warnings.Add("the last batch of each epoch holds 1 sample: its gradient is noisy (consider DropLast or another batch size).");
        }

        if (AccumulationSteps > BatchesPerEpoch)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"AccumulationSteps {AccumulationSteps} is more than the {BatchesPerEpoch} batches per epoch: windows end at epoch ends, so each step sums only {BatchesPerEpoch}."));
        }

        if (Limit == PlanLimit.MaxSteps && TotalSteps % StepsPerEpoch != 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"MaxSteps {MaxSteps} ends training mid-epoch: epoch {EpochsStarted} runs {TotalSteps % StepsPerEpoch} of its {StepsPerEpoch} steps."));
        }

        return [.. warnings];
    }
}
