using System.Globalization;

namespace TinyNet.Data;

/// <summary>
/// Samples for training or evaluation: inputs and targets whose first dimension is the sample.
/// The trainer gathers batches from it into its own buffers; the dataset is never modified.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a dataset over the given tensors (not copied).</summary>
    /// <param name="inputs">[samples, ...]: one row per sample.</param>
    /// <param name="targets">[samples, ...]: one row per sample, e.g. [samples] class indices or [samples, outputs].</param>
    public Dataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Rank == 0 || targets.Rank == 0)
        {
            throw new ArgumentException(
                $"Inputs and targets need a first (sample) dimension; got shapes {Tensor.FormatShape(inputs.Shape)} and {Tensor.FormatShape(targets.Shape)}.",
                inputs.Rank == 0 ? nameof(inputs) : nameof(targets));
        }

        if (inputs.Dimension(0) != targets.Dimension(0))
        {
            throw new ArgumentException(
                $"Inputs and targets must hold the same number of samples: inputs {Tensor.FormatShape(inputs.Shape)} has {inputs.Dimension(0)}, targets {Tensor.FormatShape(targets.Shape)} has {targets.Dimension(0)}.",
                nameof(targets));
        }

        if (inputs.Dimension(0) == 0)
        {
            throw new ArgumentException("A dataset needs at least one sample; inputs and targets are empty.", nameof(inputs));
        }

        Inputs = inputs;
        Targets = targets;
        InputSize = inputs.Length / inputs.Dimension(0);
        TargetSize = targets.Length / targets.Dimension(0);
    }

    /// <summary>The inputs, [samples, ...].</summary>
    public Tensor Inputs { get; }

    /// <summary>The targets, [samples, ...].</summary>
    public Tensor Targets { get; }

    /// <summary>The number of samples.</summary>
    public int Count => Inputs.Dimension(0);

    /// <summary>Floats per input sample.</summary>
    internal int InputSize { get; }

    /// <summary>Floats per target sample.</summary>
    internal int TargetSize { get; }

    /// <summary>Splits the samples at random into two new datasets (copies).</summary>
    /// <param name="validationFraction">The share that goes to the second dataset, in (0, 1); each side keeps at least one sample.</param>
    /// <param name="seed">The seed of the split.</param>
    /// <returns>The training part and the validation part.</returns>
    public (Dataset Train, Dataset Validation) Split(float validationFraction, int seed = 0)
    {
        CheckFraction(validationFraction);

        int validationCount = (int)Math.Round(Count * (double)validationFraction);
        CheckBothSides(validationCount, validationFraction);

        int[] order = new int[Count];
        SampleOrder.Shuffle(order, seed, stream: -1);
        return (Subset(order.AsSpan(validationCount)), Subset(order.AsSpan(0, validationCount)));
    }

    /// <summary>
    /// Splits the samples at random into two new datasets (copies) so that each class keeps its
    /// share on both sides: of a class's n samples, round(n * validationFraction) go to the
    /// validation part. Both parts keep the random order of the split.
    /// </summary>
    /// <param name="validationFraction">The share that goes to the second dataset, in (0, 1); each side keeps at least one sample.</param>
    /// <param name="seed">The seed of the split.</param>
    /// <returns>The training part and the validation part.</returns>
    /// <exception cref="ArgumentException">The targets are not class indices [samples] (whole numbers from 0), or the fraction leaves a side empty.</exception>
    public (Dataset Train, Dataset Validation) StratifiedSplit(float validationFraction, int seed = 0)
    {
        CheckFraction(validationFraction);

        if (Targets.Rank != 1)
        {
            throw new ArgumentException(
                $"A stratified split needs class indices as targets, [samples]; these targets are {Tensor.FormatShape(Targets.Shape)}.", nameof(validationFraction));
        }

        ReadOnlySpan<float> labels = Targets.AsSpan();
        var perClass = new Dictionary<float, int>();
        for (int i = 0; i < labels.Length; i++)
        {
            float label = labels[i];
            if (!(label >= 0f && label == MathF.Floor(label)))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"A stratified split needs class indices as targets; sample {i} has target {label}."), nameof(validationFraction));
            }

            perClass[label] = perClass.GetValueOrDefault(label) + 1;
        }

        var quota = perClass.ToDictionary(p => p.Key, p => (int)Math.Round(p.Value * (double)validationFraction, MidpointRounding.AwayFromZero));
        int validationCount = quota.Values.Sum();
        CheckBothSides(validationCount, validationFraction);

        int[] order = new int[Count];
        SampleOrder.Shuffle(order, seed, stream: -2);
        int[] validation = new int[validationCount];
        int[] train = new int[Count - validationCount];
        int v = 0;
        int t = 0;
        foreach (int index in order)
        {
            float label = labels[index];
            if (quota[label] > 0)
            {
                quota[label]--;
                validation[v++] = index;
            }
            else
            {
                train[t++] = index;
            }
        }

        return (Subset(train), Subset(validation));
    }

    /// <summary>Copies the samples at <paramref name="indices"/> into batch tensors whose first dimension is indices.Length.</summary>
    internal void Gather(ReadOnlySpan<int> indices, Tensor inputs, Tensor targets)
    {
        Copy(Inputs.AsSpan(), InputSize, indices, inputs.AsSpan());
        Copy(Targets.AsSpan(), TargetSize, indices, targets.AsSpan());
    }

    /// <summary>The shape of a batch of <paramref name="size"/> inputs.</summary>
    internal int[] InputBatchShape(int size) => [size, .. Inputs.Shape.Skip(1)];

    /// <summary>The shape of a batch of <paramref name="size"/> targets.</summary>
    internal int[] TargetBatchShape(int size) => [size, .. Targets.Shape.Skip(1)];

    private static void CheckFraction(float validationFraction)
    {
        if (!(validationFraction > 0f && validationFraction < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be in (0, 1).");
        }
    }

    private void CheckBothSides(int validationCount, float validationFraction)
    {
        if (validationCount < 1 || validationCount >= Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(validationFraction), validationFraction,
                string.Create(CultureInfo.InvariantCulture, $"A fraction of {validationFraction} of {Count} samples would put {validationCount} in validation, leaving one side empty."));
        }
    }

    private static void Copy(ReadOnlySpan<float> source, int rowSize, ReadOnlySpan<int> indices, Span<float> destination)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            source.Slice(indices[i] * rowSize, rowSize).CopyTo(destination.Slice(i * rowSize, rowSize));
        }
    }

    private Dataset Subset(ReadOnlySpan<int> indices)
    {
        var inputs = new Tensor(InputBatchShape(indices.Length));
        var targets = new Tensor(TargetBatchShape(indices.Length));
        Gather(indices, inputs, targets);
        return new Dataset(inputs, targets);
    }
}
