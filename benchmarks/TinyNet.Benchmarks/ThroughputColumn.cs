using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TinyNet.Benchmarks.Training;

namespace TinyNet.Benchmarks;

/// <summary>Training samples per second, from the median time of one epoch of <see cref="TrainingBenchmarks"/> or of <see cref="CnnTrainingBenchmarks"/>.</summary>
public sealed class ThroughputColumn : IColumn
{
    public static IColumn Instance { get; } = new ThroughputColumn();

    public string Id => "SamplesPerSecond";

    public string ColumnName => "samples/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 2;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Training samples per second: samples of one epoch / median time";

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => SamplesPerCall(c) is not null);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Median;
        return SamplesPerCall(benchmarkCase) is not int samples || nanoseconds is null or 0
            ? "-"
            : (samples / (nanoseconds.Value * 1e-9)).ToString("N0", CultureInfo.InvariantCulture);
    }

    /// <summary>The samples one call trains on: an epoch of the training benchmarks, a batch of a CNN step; null for other benchmarks.</summary>
    private static int? SamplesPerCall(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Descriptor.Type == typeof(TrainingBenchmarks) ? TrainingBenchmarks.SamplesPerCall
        : benchmarkCase.Descriptor.Type == typeof(CnnTrainingBenchmarks) ? CnnTrainingBenchmarks.SamplesOf(benchmarkCase.Descriptor.WorkloadMethod.Name)
        : null;
}
