using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using TinyNet.Kernels;

namespace TinyNet.Benchmarks.Kernels;

/// <summary>
/// This CPU's attainable fp32 rate: independent fused multiply-adds on the widest vector, no
/// memory traffic, on one thread and on all of them. The GEMM rows read as a fraction of it.
/// </summary>
[BenchmarkCategory("Gemm")]
public class PeakBenchmarks
{
    /// <summary>Steps of the FMA loop per thread and call.</summary>
    public const int Steps = 1 << 23;

    /// <summary>Independent accumulators: enough to cover FMA latency x issue width.</summary>
    public const int Chains = 12;

    [ParamsSource(typeof(BenchmarkSettings), nameof(BenchmarkSettings.ThreadCounts))]
    public int Threads { get; set; } = 1;

    /// <summary>The vector width the loop uses.</summary>
    public static int Width =>
        Vector512Simd.IsSupported ? Vector512<float>.Count
        : Vector256Simd.IsSupported ? Vector256<float>.Count
        : Vector128<float>.Count;

    /// <summary>Floating-point operations of one call at <paramref name="threads"/> threads.</summary>
    public static double FlopsPerCall(int threads) => 2.0 * Steps * Chains * Width * threads;

    [Benchmark]
    public float PeakFma() => RunOnThreads(Threads, Steps);

    /// <summary>
    /// Runs <paramref name="steps"/> steps of the FMA loop on each of <paramref name="threads"/>
    /// threads and returns the rate in GFLOP/s: the peak, measured in a few milliseconds, for
    /// the side-by-side runs.
    /// </summary>
    public static double MeasureRate(int threads, int steps)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        RunOnThreads(threads, steps);
        double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
        return 2.0 * steps * Chains * Width * threads / seconds / 1e9;
    }

    /// <summary>
    /// The loop once on each of <paramref name="threads"/> threads of the kernel thread pool, the
    /// threads the GEMM runs on; returns the sum of their results, so none is dead code. Threads
    /// started for each call instead read 93-98 GFLOP/s for two threads in many calls on a
    /// 2-vCPU AMD EPYC, both taking twice as long as one alone (below one thread's 100), while
    /// the GEMM on the pool ran at 134 in the same minutes; on the pool the loop reads 195-200
    /// GFLOP/s there when the host is quiet.
    /// </summary>
    private static float RunOnThreads(int threads, int steps)
    {
        var work = new PeakWork(steps, threads);
        KernelThreadPool.Run(work, threads, threads);
        return work.Sum;
    }

    private static float Run(int steps) =>
        Vector512Simd.IsSupported ? Chain<Vector512Simd, Vector512<float>>(steps)
        : Vector256Simd.IsSupported ? Chain<Vector256Simd, Vector256<float>>(steps)
        : Chain<Vector128Simd, Vector128<float>>(steps);

    /// <summary>Twelve independent FMA chains, through the same vector operations the GEMM micro-kernels use.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe float Chain<TOps, TVector>(int steps)
        where TOps : struct, ISimd<TVector>
        where TVector : struct
    {
        TVector x = TOps.Broadcast(0.999f), y = TOps.Broadcast(1e-7f);
        TVector a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
        for (int i = 0; i < steps; i++)
        {
            a0 = TOps.MultiplyAdd(a0, x, y); a1 = TOps.MultiplyAdd(a1, x, y); a2 = TOps.MultiplyAdd(a2, x, y);
            a3 = TOps.MultiplyAdd(a3, x, y); a4 = TOps.MultiplyAdd(a4, x, y); a5 = TOps.MultiplyAdd(a5, x, y);
            a6 = TOps.MultiplyAdd(a6, x, y); a7 = TOps.MultiplyAdd(a7, x, y); a8 = TOps.MultiplyAdd(a8, x, y);
            a9 = TOps.MultiplyAdd(a9, x, y); a10 = TOps.MultiplyAdd(a10, x, y); a11 = TOps.MultiplyAdd(a11, x, y);
        }

        // Fold the chains so none is dead code, and return one lane.
        TVector sum = TOps.MultiplyAdd(a0, a1, a2);
        sum = TOps.MultiplyAdd(sum, a3, a4);
        sum = TOps.MultiplyAdd(sum, a5, a6);
        sum = TOps.MultiplyAdd(sum, a7, a8);
        sum = TOps.MultiplyAdd(sum, a9, a10);
        sum = TOps.MultiplyAdd(sum, a11, y);
        float* lanes = stackalloc float[TOps.Width];
        TOps.Store(sum, lanes);
        return lanes[0];
    }

    /// <summary>One run of the loop per part, each part's result kept apart.</summary>
    private sealed class PeakWork(int steps, int parts) : ParallelWork
    {
        private readonly float[] _results = new float[parts];

        /// <summary>The sum of the parts' results.</summary>
        public float Sum => _results.Sum();

        public override void Execute(int index) => _results[index] = Run(steps);
    }
}
