using TinyNet.Kernels;

namespace TinyNet.Benchmarks;

/// <summary>Settings shared by the benchmark classes.</summary>
public static class BenchmarkSettings
{
    /// <summary>
    /// Set TINYNET_BENCH_SMOKE=1 to run a tiny subset of the parameters: CI does, with
    /// BenchmarkDotNet's Dry job, so that the benchmarks are built and run and cannot rot.
    /// </summary>
    public static bool Smoke => Environment.GetEnvironmentVariable("TINYNET_BENCH_SMOKE") == "1";

    /// <summary>One thread, and every thread the kernels may use.</summary>
    public static IEnumerable<int> ThreadCounts()
    {
        yield return 1;
        int all = KernelOptions.MaxDegreeOfParallelism;
        if (all > 1 && !Smoke)
        {
            yield return all;
        }
    }
}
