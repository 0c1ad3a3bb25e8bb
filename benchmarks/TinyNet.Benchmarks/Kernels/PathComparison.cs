using System.Globalization;
using TinyNet.Kernels;

namespace TinyNet.Benchmarks.Kernels;

/// <summary>
/// Whether each GEMM path earns its place. For every product the library runs (the forward,
/// dX and dW products of the Linear layers of the benchmarks' 784-512-256-10 MLP and the
/// sample's 2-64-64-2 one at batch 1, 4, 8, 32, 128 and 512; Conv2d's on the CNN benchmarks'
/// layers; n = 32, 64 and 1024), on each SIMD variant this CPU runs natively, the path
/// <see cref="GemmPlan.ChoosePath"/> picks is timed against the path it would pick without that
/// path's rule, interleaved round after round as in <see cref="SideBySide"/>; AVX-512's 8-row
/// kernel, the last resort, against its 12-row kernel. Products whose path is the AVX2 blocked
/// kernel have nothing to compare and are left out. Run with
/// <c>--paths [--threads 1,2] [--rounds 9] [--filter text|text...]</c>.
/// </summary>
public static class PathComparison
{
    /// <summary>The command-line switch that selects this mode.</summary>
    public const string Switch = "--paths";

    /// <summary>Runs the comparison and prints a Markdown table; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        int[]? threadCounts = SideBySide.ParseCounts(SideBySide.Option(args, "--threads") ?? "1");
        int[]? rounds = SideBySide.ParseCounts(SideBySide.Option(args, "--rounds") ?? "9");
        string[] filters = (SideBySide.Option(args, "--filter") ?? string.Empty).Split('|', StringSplitOptions.RemoveEmptyEntries);
        if (threadCounts is null || rounds is not [int roundCount])
        {
            Console.Error.WriteLine("--threads takes positive counts separated by commas (1,2); --rounds one positive count (9).");
            return 2;
        }

        var duels = (
            from kernel in new[] { GemmKernel.Vector512, GemmKernel.Vector256 }
            where Gemm.IsSupported(kernel)
            from threads in threadCounts
            from shape in LibraryShapes()
            let duel = Duel.For(kernel, shape, threads)
            where duel is not null && (filters.Length == 0 || filters.Any(f => duel.Name.Contains(f, StringComparison.Ordinal)))
            select duel).ToList();
        Console.Error.WriteLine($"Warming up {duels.Count} comparisons...");
        foreach (Duel duel in duels)
        {
            duel.Prepare();
        }

        for (int round = 0; round < roundCount; round++)
        {
            foreach (Duel duel in duels)
            {
                duel.RunRound(round);
            }

            Console.Error.WriteLine($"round {round + 1} of {roundCount} done");
        }

        Console.WriteLine($"Interleaved, {roundCount} rounds; each path against the one that would run without its rule; medians of the per-round ratios.");
        Console.WriteLine();
        Console.WriteLine("| variant | product | threads | path | GFLOP/s | otherwise | GFLOP/s | path / otherwise |");
        Console.WriteLine("| --- | --- | ---: | --- | ---: | --- | ---: | ---: |");
        foreach (Duel duel in duels)
        {
            Console.WriteLine(duel.Row());
        }

        return 0;
    }

    /// <summary>Every product of Linear's forward and backward passes, for each layer and batch; Conv2d's on the CNN benchmarks' layers; the square goal shapes.</summary>
    internal static IEnumerable<(string Name, GemmShape Shape, float Beta)> LibraryShapes()
    {
        (int In, int Out)[] layers = [(784, 512), (512, 256), (256, 10), (2, 64), (64, 64), (64, 2)];
        foreach ((int input, int output) in layers)
        {
            foreach (int batch in new[] { 1, 4, 8, 32, 128, 512 })
            {
                string layer = $"{input}-{output} b{batch}";

                // Forward: Y = X Wᵀ onto the broadcast bias; dX = dY W; dW += dYᵀ X.
                yield return ($"{layer} fwd", new GemmShape(batch, output, input, TransposeB: true), 1f);
                yield return ($"{layer} dX", new GemmShape(batch, input, output), 0f);
                yield return ($"{layer} dW", new GemmShape(output, input, batch, TransposeA: true), 1f);
            }
        }

        // Conv2d's three products (weight [out, patch], columns [patch, pixels]) for the LeNet
        // layers at batch 64 and the wide layer at batch 32, as ConvolutionBenchmarks runs them.
        (string Name, int Out, int Patch, int Pixels)[] convolutions =
            [("conv 1-6 k5", 6, 25, 64 * 24 * 24), ("conv 6-16 k5", 16, 150, 64 * 8 * 8), ("conv 32-64 k3", 64, 288, 32 * 32 * 32)];
        foreach ((string name, int output, int patch, int pixels) in convolutions)
        {
            yield return ($"{name} fwd", new GemmShape(output, pixels, patch), 0f);
            yield return ($"{name} dW", new GemmShape(output, patch, pixels, TransposeB: true), 1f);
            yield return ($"{name} dX", new GemmShape(patch, pixels, output, TransposeA: true), 0f);
        }

        // The square goal shapes of the GEMM benchmarks.
        foreach (int size in new[] { 32, 64, 1024 })
        {
            yield return ($"square {size}", new GemmShape(size, size, size), 0f);
        }
    }

    /// <summary>One product on one variant: the chosen path and the one it would otherwise be.</summary>
    private sealed class Duel
    {
        private readonly GemmKernel _kernel;
        private readonly GemmShape _shape;
        private readonly float _beta;
        private readonly int _threads;
        private readonly GemmPath _path;
        private readonly GemmPath _otherwise;
        private readonly Tensor _a;
        private readonly Tensor _b;
        private readonly Tensor _c;
        private readonly List<double> _ratios = [];
        private readonly List<double> _pathRates = [];
        private readonly List<double> _otherRates = [];
        private int _pathCalls = 1;
        private int _otherCalls = 1;

        private Duel(GemmKernel kernel, string name, GemmShape shape, float beta, int threads, GemmPath path, GemmPath otherwise)
        {
            _kernel = kernel;
            Name = name;
            _shape = shape;
            _beta = beta;
            _threads = threads;
            _path = path;
            _otherwise = otherwise;
            var random = new Random(42);
            _a = GemmBenchmarks.Operand(shape.M * shape.K, random);
            _b = GemmBenchmarks.Operand(shape.K * shape.N, random);
            _c = new Tensor(shape.M * shape.N);
        }

        public string Name { get; }

        /// <summary>The duel for a product, or null when its path is the variant's last resort.</summary>
        public static Duel? For(GemmKernel kernel, (string Name, GemmShape Shape, float Beta) product, int threads)
        {
            GemmPath path = Choose(kernel, product.Shape, product.Beta, threads, passOver: null);
            GemmPath otherwise = Choose(kernel, product.Shape, product.Beta, threads, passOver: path);

            // The 8-row kernel is AVX-512's last resort: it is measured against the 12-row one.
            otherwise = path == GemmPath.Blocked8x2 ? GemmPath.Blocked12x2 : otherwise;
            return path == otherwise ? null : new Duel(kernel, product.Name, product.Shape, product.Beta, threads, path, otherwise);
        }

        public void Prepare()
        {
            KernelOptions.MaxDegreeOfParallelism = _threads;
            _pathCalls = SideBySide.CallsPerChunk(() => Call(_path));
            _otherCalls = SideBySide.CallsPerChunk(() => Call(_otherwise));
        }

        public void RunRound(int round)
        {
            KernelOptions.MaxDegreeOfParallelism = _threads;
            double pathRate = 0, otherRate = 0;
            for (int turn = 0; turn < 2; turn++)
            {
                // Alternate the order, so neither side always runs first.
                if ((turn == 0) == (round % 2 == 0))
                {
                    Call(_path);
                    pathRate = SideBySide.Rate(() => Call(_path), _pathCalls, _shape.Flops);
                }
                else
                {
                    Call(_otherwise);
                    otherRate = SideBySide.Rate(() => Call(_otherwise), _otherCalls, _shape.Flops);
                }
            }

            _pathRates.Add(pathRate);
            _otherRates.Add(otherRate);
            _ratios.Add(pathRate / otherRate);
        }

        public string Row() => string.Create(
            CultureInfo.InvariantCulture,
            $"| {_kernel} | {Name} | {_threads} | {_path} | {SideBySide.Median(_pathRates):F1} | {_otherwise} | {SideBySide.Median(_otherRates):F1} | {SideBySide.Median(_ratios):F2} |");

        private static unsafe GemmPath Choose(GemmKernel kernel, GemmShape shape, float beta, int threads, GemmPath? passOver)
        {
            var args = new GemmArguments(null, shape.TransposeA, null, shape.TransposeB, null, shape.M, shape.N, shape.K, 1f, beta);
            return Gemm.ChoosePath(kernel, args, threads, passOver);
        }

        private unsafe void Call(GemmPath path)
        {
            fixed (float* a = _a.AsSpan(), b = _b.AsSpan(), c = _c.AsSpan())
            {
                var args = new GemmArguments(a, _shape.TransposeA, b, _shape.TransposeB, c, _shape.M, _shape.N, _shape.K, 1f, _beta);
                Gemm.RunPath(path, _kernel, args, _threads);
            }
        }
    }
}
