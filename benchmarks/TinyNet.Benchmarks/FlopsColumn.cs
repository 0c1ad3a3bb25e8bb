using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TinyNet.Benchmarks.Kernels;

namespace TinyNet.Benchmarks;

/// <summary>
/// Turns a benchmark's median time into GFLOP/s, or into a percentage of the peak FMA rate
/// that <see cref="PeakBenchmarks"/> measured in the same run at the same thread count.
/// </summary>
public sealed class FlopsColumn : IColumn
{
    private readonly bool _asFractionOfPeak;

    private FlopsColumn(bool asFractionOfPeak) => _asFractionOfPeak = asFractionOfPeak;

    /// <summary>GFLOP/s from the median time.</summary>
    public static IColumn Rate { get; } = new FlopsColumn(asFractionOfPeak: false);

    /// <summary>The rate as a percentage of the peak measured in the same run.</summary>
    public static IColumn PercentOfPeak { get; } = new FlopsColumn(asFractionOfPeak: true);

    public string Id => _asFractionOfPeak ? "PercentOfPeak" : "GFlops";

    public string ColumnName => _asFractionOfPeak ? "%peak" : "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => _asFractionOfPeak ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => _asFractionOfPeak
        ? "GFLOP/s as a percentage of PeakFma's rate at the same thread count, measured in the same run"
        : "Billions of floating-point operations per second, from the median time (2mnk for a GEMM, the same for each of a convolution's products)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? rate = RateOf(summary, benchmarkCase);
        if (rate is null)
        {
            return "-";
        }

        if (!_asFractionOfPeak)
        {
            return rate.Value.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        }

        int threads = Threads(benchmarkCase);
        BenchmarkCase? peak = summary.BenchmarksCases.FirstOrDefault(
            c => c.Descriptor.Type == typeof(PeakBenchmarks) && Threads(c) == threads);
        double? peakRate = peak is null ? null : RateOf(summary, peak);
        return peakRate is null or 0
            ? "-"
            : (100 * rate.Value / peakRate.Value).ToString("F0", System.Globalization.CultureInfo.InvariantCulture) + "%";
    }

    private static double? RateOf(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Median;
        double? flops = Flops(benchmarkCase);
        return nanoseconds is null or 0 || flops is null ? null : flops / nanoseconds.Value;
    }

    private static double? Flops(BenchmarkCase benchmarkCase)
    {
        if (benchmarkCase.Descriptor.Type == typeof(PeakBenchmarks))
        {
            return PeakBenchmarks.FlopsPerCall(Threads(benchmarkCase));
        }

        return benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<IFlopCount>().FirstOrDefault()?.Flops;
    }

    private static int Threads(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Threads")?.Value as int? ?? 1;
}
