using System.Diagnostics;
using System.Globalization;
using TinyNet.Kernels;

namespace TinyNet.Benchmarks.Kernels;

/// <summary>
/// TinyNet's GEMM and OpenBLAS's, interleaved: round after round, each shape runs the peak loop,
/// TinyNet and OpenBLAS for a few milliseconds each, in alternating order. On a shared machine
/// whose speed drifts over minutes, BenchmarkDotNet measures the two minutes apart; here every
/// ratio compares runs a few milliseconds apart, and the median ratio over the rounds is what
/// to quote. The peak loop runs between the contestants, and each one's share of peak is of the
/// peak measured just before and just after it. Both read and write the same operands, held in tensors as in training (64-byte
/// aligned). Run with <c>--side-by-side [--threads 1,2] [--rounds 21] [--filter text|text...]</c>; a shape
/// runs when its name contains any of the filter's texts (empty ones, as in a trailing '|', count for nothing).
/// </summary>
public static class SideBySide
{
    /// <summary>The command-line switch that selects this mode.</summary>
    public const string Switch = "--side-by-side";

    private const double ChunkSeconds = 0.02;

    /// <summary>
    /// The pause after each chunk on several threads. Both libraries' worker threads spin for a
    /// while after a call (TinyNet's 5 ms, OpenBLAS's about 2^28 cycles, ~0.1 s): without a
    /// pause, each would take a core from whatever runs next.
    /// </summary>
    private const int IdleMilliseconds = 150;

    /// <summary>Runs the comparison and prints a Markdown table; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        int[]? threadCounts = Option(args, "--threads") is string threads
            ? ParseCounts(threads)
            : BenchmarkSettings.ThreadCounts().ToArray();
        int[]? rounds = ParseCounts(Option(args, "--rounds") ?? "21");
        string[] filters = (Option(args, "--filter") ?? string.Empty).Split('|', StringSplitOptions.RemoveEmptyEntries);
        if (threadCounts is null)
        {
            Console.Error.WriteLine($"--threads takes positive counts separated by commas, such as 1,2; got '{Option(args, "--threads")}'.");
            return 2;
        }

        if (rounds is not [int roundCount])
        {
            Console.Error.WriteLine($"--rounds takes one positive count, such as 15; got '{Option(args, "--rounds")}'.");
            return 2;
        }

        if (!OpenBlas.IsAvailable)
        {
            Console.Error.WriteLine("OpenBLAS was not found (install Debian's libopenblas0-pthread): nothing to compare with.");
            return 2;
        }

        Console.WriteLine(
            $"Interleaved, {roundCount} rounds of about {ChunkSeconds * 1000:F0} ms per contestant ({IdleMilliseconds} ms apart on several threads); " +
            "the peak loop before each and after each; medians; ratios and shares of peak are medians of the per-round ones, " +
            "a share of the peak measured just before and just after.");
        Console.WriteLine();
        Console.WriteLine(
            "| shape (m x k * k x n) | threads | TinyNet GFLOP/s | OpenBLAS GFLOP/s | peak GFLOP/s | TinyNet % of peak | OpenBLAS % of peak" +
            " | TinyNet / OpenBLAS | TinyNet N / 1 threads | OpenBLAS N / 1 threads |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (GemmShape shape in GemmBenchmarks.Shapes().Where(s => filters.Length == 0 || filters.Any(f => s.ToString().Contains(f, StringComparison.Ordinal))))
        {
            foreach (int threadCount in threadCounts)
            {
                Compare(shape, threadCount, roundCount);
            }
        }

        return 0;
    }

    private static void Compare(GemmShape shape, int threads, int rounds)
    {
        var random = new Random(42);
        Tensor a = GemmBenchmarks.Operand(shape.M * shape.K, random);
        Tensor b = GemmBenchmarks.Operand(shape.K * shape.N, random);
        var c = new Tensor(shape.M * shape.N);

        // The contestants; at several threads, each also runs on one thread in the same round,
        // which gives the scaling from 1 to N threads measured side by side too.
        var contestants = new List<Contestant>
        {
            new(threads, () => Gemm.Multiply(a.AsSpan(), b.AsSpan(), c.AsSpan(), shape.M, shape.N, shape.K, shape.TransposeA, shape.TransposeB), isTinyNet: true),
            new(threads, () => OpenBlas.Multiply(a.AsSpan(), b.AsSpan(), c.AsSpan(), shape), isTinyNet: false),
        };
        if (threads > 1)
        {
            contestants.Add(new Contestant(1, contestants[0].Call, isTinyNet: true));
            contestants.Add(new Contestant(1, contestants[1].Call, isTinyNet: false));
        }

        // Warm up every contestant (the JIT's tiers, the pools' threads, the caches) and size its chunk.
        foreach (Contestant contestant in contestants)
        {
            contestant.Prepare();
        }

        int peakSteps = (int)Math.Max(1 << 14, ChunkSeconds * 2e9 / PeakBenchmarks.Chains);
        var peak = new List<double>();
        var ratio = new List<double>();
        var ofPeak = new List<double>();
        var openBlasOfPeak = new List<double>();
        var tinyNetScaling = new List<double>();
        var openBlasScaling = new List<double>();
        int idle = threads > 1 ? IdleMilliseconds : 0;
        for (int round = 0; round < rounds; round++)
        {
            // The peak loop runs before the first contestant and after each one; a contestant's
            // share of peak is of the mean of the two around it, measured milliseconds apart, so
            // a neighbour that takes part of the core for a while lowers both.
            Thread.Sleep(idle);
            double before = PeakBenchmarks.MeasureRate(threads, peakSteps);
            peak.Add(before);
            double[] rates = new double[contestants.Count];
            double[] peaks = new double[contestants.Count];
            for (int i = 0; i < contestants.Count; i++)
            {
                // Alternate the order, so neither side always runs first.
                int index = round % 2 == 0 ? i : contestants.Count - 1 - i;
                Thread.Sleep(idle);
                rates[index] = contestants[index].Rate(shape.Flops);
                Thread.Sleep(idle);
                double after = PeakBenchmarks.MeasureRate(threads, peakSteps);
                peaks[index] = (before + after) / 2;
                peak.Add(after);
                before = after;
            }

            ratio.Add(rates[0] / rates[1]);
            ofPeak.Add(rates[0] / peaks[0]);
            openBlasOfPeak.Add(rates[1] / peaks[1]);
            if (threads > 1)
            {
                tinyNetScaling.Add(rates[0] / rates[2]);
                openBlasScaling.Add(rates[1] / rates[3]);
            }

            for (int i = 0; i < contestants.Count; i++)
            {
                contestants[i].Rates.Add(rates[i]);
            }
        }

        string scaling = threads > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{Median(tinyNetScaling):F2} | {Median(openBlasScaling):F2}")
            : "- | -";
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {shape} | {threads} | {Median(contestants[0].Rates):F1} | {Median(contestants[1].Rates):F1} | {Median(peak):F1} | {Median(ofPeak) * 100:F0}% | {Median(openBlasOfPeak) * 100:F0}% | {Median(ratio):F2} | {scaling} |"));
    }

    private static int CallsPerChunk(Action call)
    {
        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (clock.Elapsed.TotalSeconds < 0.3)
        {
            call();
            calls++;
        }

        clock.Restart();
        for (int i = 0; i < calls; i++)
        {
            call();
        }

        double perCall = clock.Elapsed.TotalSeconds / calls;
        return (int)Math.Max(1, ChunkSeconds / perCall);
    }

    private static double Rate(Action call, int calls, double flops)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            call();
        }

        return flops * calls / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /// <summary>Positive integers separated by commas, or null when the text is not that.</summary>
    private static int[]? ParseCounts(string text)
    {
        string[] parts = text.Split(',');
        var counts = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out counts[i]) || counts[i] <= 0)
            {
                return null;
            }
        }

        return counts;
    }

    private static string? Option(string[] args, string name)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>One side of the comparison at one thread count: its call, its chunk size, its rates.</summary>
    private sealed class Contestant(int threads, Action call, bool isTinyNet)
    {
        private int _calls = 1;

        public Action Call { get; } = call;

        public List<double> Rates { get; } = [];

        /// <summary>Warms the call up and sizes its chunk to about <see cref="ChunkSeconds"/>.</summary>
        public void Prepare()
        {
            Use();
            _calls = CallsPerChunk(Call);
        }

        /// <summary>Runs one chunk and returns its rate in GFLOP/s.</summary>
        public double Rate(double flops)
        {
            Use();
            return SideBySide.Rate(Call, _calls, flops);
        }

        private void Use()
        {
            if (isTinyNet)
            {
                KernelOptions.MaxDegreeOfParallelism = threads;
            }
            else
            {
                OpenBlas.SetThreads(threads);
            }
        }
    }
}
