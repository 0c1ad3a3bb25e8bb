using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TinyNet.Benchmarks;
using TinyNet.Benchmarks.Kernels;
using TinyNet.Kernels;

Console.WriteLine($"TinyNet GEMM kernel: {Gemm.Kernel}; threads: {KernelOptions.MaxDegreeOfParallelism}");
Console.WriteLine(OpenBlas.IsAvailable
    ? $"OpenBLAS: found, core type {OpenBlas.CoreName} (set OPENBLAS_CORETYPE to choose another)"
    : $"OpenBLAS: {OpenBlas.UnavailableReason}; its benchmarks are left out.");

if (args.Length > 0 && args[0] == SideBySide.Switch)
{
    return SideBySide.Run(args);
}

if (args.Length > 0 && args[0] == PathComparison.Switch)
{
    return PathComparison.Run(args);
}

IConfig config = DefaultConfig.Instance
    .AddColumn(FlopsColumn.Rate, FlopsColumn.PercentOfPeak, ThroughputColumn.Instance)
    .WithOption(ConfigOptions.JoinSummary, true)
    .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40))
    .AddFilter(new SimpleFilter(IsWorthRunning));

IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args, config);

// A benchmark that failed to build or run must fail the command, so CI notices.
bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
if (failed)
{
    Console.Error.WriteLine("Some benchmarks failed to build or run: see the log above.");
}

return failed ? 1 : 0;

// The plain reference loop takes seconds beyond 256^3; it is measured where it finishes.
static bool IsWorthRunning(BenchmarkCase benchmarkCase)
{
    string method = benchmarkCase.Descriptor.WorkloadMethod.Name;
    GemmShape? shape = benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<GemmShape>().FirstOrDefault();
    return method switch
    {
        nameof(GemmBenchmarks.OpenBlasSgemm) => OpenBlas.IsAvailable,
        nameof(GemmBenchmarks.ReferenceLoop) => shape is null || shape.Flops <= 2.0 * 256 * 256 * 256,
        _ => true,
    };
}
