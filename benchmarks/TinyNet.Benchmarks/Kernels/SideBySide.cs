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
/// peak measured just before and just after it. Each round visits every shape in turn (one
/// thread count after the other), so a shape's rounds are spread over the whole run: a
/// neighbour that takes the core for a few seconds costs every shape a round or two, which the
/// medians pass over, instead of all the rounds of the one shape measured then. Both read and
/// write the same operands, held in tensors as in training (64-byte aligned). Run with
/// <c>--side-by-side [--threads 1,2] [--rounds 21] [--filter text|text...]</c>; a shape runs when
/// its name contains any of the filter's texts (empty ones, as in a trailing '|', count for nothing).
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
            Console.Error.WriteLine($"OpenBLAS: {OpenBlas.UnavailableReason}; nothing to compare with.");
            return 2;
        }

        var comparisons = GemmBenchmarks.Shapes()
            .Where(s => filters.Length == 0 || filters.Any(f => s.ToString().Contains(f, StringComparison.Ordinal)))
            .SelectMany(shape => threadCounts.Select(threadCount => new Comparison(shape, threadCount)))
            .ToList();
        if (comparisons.Count == 0)
        {
            Console.Error.WriteLine($"No GEMM shape matches --filter '{Option(args, "--filter")}'.");
            return 2;
        }

        Console.Error.WriteLine($"Warming up {comparisons.Count} comparisons...");
        foreach (Comparison comparison in comparisons)
        {
            comparison.Prepare();
        }

        // One thread count at a time: the pauses of the runs on several threads would otherwise
        // come between the rounds on one thread, which then start on a core the host may have
        // lent to another guest, unlike a training loop that keeps its core busy.
        var clock = Stopwatch.StartNew();
        foreach (int threadCount in threadCounts)
        {
            for (int round = 0; round < roundCount; round++)
            {
                foreach (Comparison comparison in comparisons.Where(c => c.Threads == threadCount))
                {
                    comparison.RunRound(round);
                }

                Console.Error.WriteLine($"{threadCount} thread(s): round {round + 1} of {roundCount} done ({clock.Elapsed.TotalMinutes:F1} min).");
            }
        }

        Console.WriteLine(
            $"Interleaved, {roundCount} rounds, each visiting every shape in turn (one thread count after the other), " +
            $"of about {ChunkSeconds * 1000:F0} ms per contestant, each chunk after one untimed call " +
            $"({IdleMilliseconds} ms apart on several threads); the peak loop before each and after each; medians; ratios and " +
            "shares of peak are medians of the per-round ones, a share of the peak measured just before and just after.");
        Console.WriteLine();
        Console.WriteLine(
            "| shape (m x k * k x n) | threads | TinyNet GFLOP/s | OpenBLAS GFLOP/s | peak GFLOP/s | TinyNet % of peak | OpenBLAS % of peak" +
            " | TinyNet / OpenBLAS | TinyNet N / 1 threads | OpenBLAS N / 1 threads |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (Comparison comparison in comparisons)
        {
            Console.WriteLine(comparison.Row());
        }

        return 0;
    }

    /// <summary>
    /// One shape at one thread count: its operands, its contestants (TinyNet and OpenBLAS at that
    /// count, and at one thread too when it is several, which gives the scaling from 1 to N
    /// threads measured side by side as well) and the per-round figures.
    /// </summary>
    private sealed class Comparison
    {
        private readonly GemmShape _shape;
        private readonly List<Contestant> _contestants;
        private readonly int _peakSteps = (int)Math.Max(1 << 14, ChunkSeconds * 2e9 / PeakBenchmarks.Chains);
        private readonly List<double> _peak = [];
        private readonly List<double> _ratio = [];
        private readonly List<double> _ofPeak = [];
        private readonly List<double> _openBlasOfPeak = [];
        private readonly List<double> _tinyNetScaling = [];
        private readonly List<double> _openBlasScaling = [];

        public Comparison(GemmShape shape, int threads)
        {
            _shape = shape;
            Threads = threads;
            var random = new Random(42);
            Tensor a = GemmBenchmarks.Operand(shape.M * shape.K, random);
            Tensor b = GemmBenchmarks.Operand(shape.K * shape.N, random);
            var c = new Tensor(shape.M * shape.N);
            _contestants =
            [
                new(threads, () => Gemm.Multiply(a.AsSpan(), b.AsSpan(), c.AsSpan(), shape.M, shape.N, shape.K, shape.TransposeA, shape.TransposeB), isTinyNet: true),
                new(threads, () => OpenBlas.Multiply(a.AsSpan(), b.AsSpan(), c.AsSpan(), shape), isTinyNet: false),
            ];
            if (threads > 1)
            {
                _contestants.Add(new Contestant(1, _contestants[0].Call, isTinyNet: true));
                _contestants.Add(new Contestant(1, _contestants[1].Call, isTinyNet: false));
            }
        }

        /// <summary>The thread count of the comparison's main contestants.</summary>
        public int Threads { get; }

        /// <summary>Warms up every contestant (the JIT's tiers, the pools' threads, the caches) and sizes its chunk.</summary>
        public void Prepare()
        {
            foreach (Contestant contestant in _contestants)
            {
                contestant.Prepare();
            }
        }

        /// <summary>Runs one round: the peak loop, then each contestant followed by the peak loop again.</summary>
        public void RunRound(int round)
        {
            // The peak loop runs before the first contestant and after each one; a contestant's
            // share of peak is of the mean of the two around it, measured milliseconds apart, so
            // a neighbour that takes part of the core for a while lowers both.
            int idle = Threads > 1 ? IdleMilliseconds : 0;
            Thread.Sleep(idle);
            double before = PeakBenchmarks.MeasureRate(Threads, _peakSteps);
            _peak.Add(before);
            double[] rates = new double[_contestants.Count];
            double[] peaks = new double[_contestants.Count];
            for (int i = 0; i < _contestants.Count; i++)
            {
                // Alternate the order, so neither side always runs first.
                int index = round % 2 == 0 ? i : _contestants.Count - 1 - i;
                Thread.Sleep(idle);
                rates[index] = _contestants[index].Rate(_shape.Flops);
                Thread.Sleep(idle);
                double after = PeakBenchmarks.MeasureRate(Threads, _peakSteps);
                peaks[index] = (before + after) / 2;
                _peak.Add(after);
                before = after;
            }

            _ratio.Add(rates[0] / rates[1]);
            _ofPeak.Add(rates[0] / peaks[0]);
            _openBlasOfPeak.Add(rates[1] / peaks[1]);
            if (Threads > 1)
            {
                _tinyNetScaling.Add(rates[0] / rates[2]);
                _openBlasScaling.Add(rates[1] / rates[3]);
            }

            for (int i = 0; i < _contestants.Count; i++)
            {
                _contestants[i].Rates.Add(rates[i]);
            }
        }

        /// <summary>The table's row: medians over the rounds run so far.</summary>
        public string Row()
        {
            string scaling = Threads > 1
                ? string.Create(CultureInfo.InvariantCulture, $"{Median(_tinyNetScaling):F2} | {Median(_openBlasScaling):F2}")
                : "- | -";
            return string.Create(
                CultureInfo.InvariantCulture,
                $"| {_shape} | {Threads} | {Median(_contestants[0].Rates):F1} | {Median(_contestants[1].Rates):F1} | {Median(_peak):F1} | {Median(_ofPeak) * 100:F0}% | {Median(_openBlasOfPeak) * 100:F0}% | {Median(_ratio):F2} | {scaling} |");
        }
    }

    /// <summary>How many calls of <paramref name="call"/> take about one chunk's time.</summary>
    internal static int CallsPerChunk(Action call)
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

    /// <summary>GFLOP/s of <paramref name="calls"/> calls of <paramref name="flops"/> each.</summary>
    internal static double Rate(Action call, int calls, double flops)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            call();
        }

        return flops * calls / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
    }

    /// <summary>The median of <paramref name="values"/> (which it sorts).</summary>
    internal static double Median(List<double> values)
    {
        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /// <summary>Positive integers separated by commas, or null when the text is not that.</summary>
    internal static int[]? ParseCounts(string text)
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

    /// <summary>The value after <paramref name="name"/> on the command line, or null.</summary>
    internal static string? Option(string[] args, string name)
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

        /// <summary>
        /// Runs one chunk and returns its rate in GFLOP/s. One untimed call goes first: the other
        /// shapes of the round have had the caches, and each side then starts its chunk from
        /// its own call, whichever ran before it.
        /// </summary>
        public double Rate(double flops)
        {
            Use();
            Call();
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
