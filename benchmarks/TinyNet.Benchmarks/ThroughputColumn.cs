using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TinyNet.Benchmarks.Training;

namespace TinyNet.Benchmarks;

/// <summary>Training samples per second, from the median time of one epoch of <see cref="TrainingBenchmarks"/>.</summary>
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

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => c.Descriptor.Type == typeof(TrainingBenchmarks));

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Median;
        return benchmarkCase.Descriptor.Type != typeof(TrainingBenchmarks) || nanoseconds is null or 0
            ? "-"
            : (TrainingBenchmarks.SamplesPerCall / (nanoseconds.Value * 1e-9)).ToString("N0", CultureInfo.InvariantCulture);
    }
}
