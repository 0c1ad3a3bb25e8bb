using System.Diagnostics;

namespace TinyNet.Tests.Distributed;

/// <summary>
/// Data-parallel training over MPI, run as users run it: <c>mpirun -np N</c> of a small training
/// program (tests/TinyNet.Distributed.Worker), on this machine only. N ranks with per-rank batch
/// B must give bitwise the weights of one process with batch B and AccumulationSteps = N, on
/// every rank and after every step, and the same epoch metrics. Needs Open MPI (apt-get install openmpi-bin
/// libopenmpi-dev, which CI installs); skipped otherwise.
/// </summary>
[TestFixture]
public sealed class MpiTrainingTests : TemporaryFolder
{
    private static readonly Lazy<string?> s_mpirun = new(() => Which("mpirun"));

    [TestCase(2, 90)]
    [TestCase(3, 70)]
    [TestCase(3, 84)]
    public void N_ranks_train_bitwise_as_one_process_accumulating_N_batches(int ranks, int samples)
    {
        // 70 samples leave a last global batch of 22 (shards 8, 8, 6); 84 leave 12 (8, 4 and an empty shard).
        string single = Path.Combine(Folder, "single");
        string parallel = Path.Combine(Folder, "parallel");
        RunWorker(ranks: null, single, "--batch", "8", "--accumulation", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--samples", samples.ToString(System.Globalization.CultureInfo.InvariantCulture), "--steps-file", single + ".steps", "--metrics", "1");
        RunWorker(ranks, parallel, "--batch", "8", "--samples", samples.ToString(System.Globalization.CultureInfo.InvariantCulture), "--steps-file", parallel + ".steps", "--metrics", "1");

        byte[] expected = File.ReadAllBytes(single + ".rank0");
        string[] expectedSteps = File.ReadAllLines(single + ".steps.rank0");
        string[] expectedMetrics = File.ReadAllLines(single + ".metrics.rank0");
        Assert.That(expectedSteps, Is.Not.Empty);
        Assert.That(expectedMetrics, Has.Length.EqualTo(3), "one line of metrics per epoch");
        for (int rank = 0; rank < ranks; rank++)
        {
            Assert.That(File.ReadAllBytes($"{parallel}.rank{rank}"), Is.EqualTo(expected), $"rank {rank}'s final weights");
            Assert.That(File.ReadAllLines($"{parallel}.steps.rank{rank}"), Is.EqualTo(expectedSteps), $"rank {rank}'s weights after every step");
            Assert.That(File.ReadAllLines($"{parallel}.metrics.rank{rank}"), Is.EqualTo(expectedMetrics), $"rank {rank}'s epoch metrics, counted over every rank's shards");
        }
    }

    [Test]
    public void A_checkpoint_resumes_bitwise_on_as_many_ranks_and_refuses_another_count()
    {
        string straight = Path.Combine(Folder, "straight");
        string first = Path.Combine(Folder, "first");
        string resumed = Path.Combine(Folder, "resumed");
        string checkpoint = Path.Combine(Folder, "run.safetensors");
        RunWorker(2, straight, "--batch", "8", "--max-steps", "12");
        RunWorker(2, first, "--batch", "8", "--max-steps", "5", "--save", checkpoint);
        Assert.That(File.Exists(checkpoint), Is.True, "rank 0 wrote the checkpoint");
        RunWorker(2, resumed, "--batch", "8", "--max-steps", "12", "--resume", checkpoint);
        Assert.That(File.ReadAllBytes(resumed + ".rank1"), Is.EqualTo(File.ReadAllBytes(straight + ".rank1")));

        (int exit, string output) = Run(Mpirun(), MpirunArguments(3, Path.Combine(Folder, "other"), "--batch", "8", "--resume", checkpoint), TimeSpan.FromMinutes(1));
        Assert.That(exit, Is.Not.Zero);
        Assert.That(output, Does.Contain("ranks was 2, is 3"));
    }

    [Test]
    public void A_rank_that_throws_ends_every_rank_with_its_message()
    {
        var clock = Stopwatch.StartNew();
        (int exit, string output) = Run(Mpirun(), MpirunArguments(2, Path.Combine(Folder, "thrown"), "--batch", "8", "--throw-on-rank", "1"), TimeSpan.FromMinutes(1));
        Assert.That(exit, Is.Not.Zero);
        Assert.That(output, Does.Contain("rank 1 of 2").And.Contain("this rank fails at step 3").And.Contain("aborting every rank"));
        Assert.That(File.Exists(Path.Combine(Folder, "thrown.rank0")), Is.False, "rank 0 did not finish alone");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(1)));
    }

    private static void RunWorker(int? ranks, string output, params string[] options)
    {
        (int exit, string log) = ranks is int count
            ? Run(Mpirun(), MpirunArguments(count, output, options), TimeSpan.FromMinutes(2))
            : Run("dotnet", [Worker(), output, .. options], TimeSpan.FromMinutes(2));
        Assert.That(exit, Is.Zero, log);
    }

    private static string[] MpirunArguments(int ranks, string output, params string[] options) =>
        ["--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", Worker(), output, .. options];

    private static string Mpirun() => s_mpirun.Value ?? IgnoreWithoutMpi();

    private static string IgnoreWithoutMpi()
    {
        Assert.Ignore("mpirun was not found: the MPI tests need Open MPI (apt-get install openmpi-bin libopenmpi-dev).");
        return string.Empty;
    }

    /// <summary>The worker program, built beside the tests in the same configuration.</summary>
    private static string Worker()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name;
        string configuration = output.Parent!.Name;
        string root = output.Parent!.Parent!.Parent!.Parent!.FullName;
        string worker = Path.Combine(root, "TinyNet.Distributed.Worker", "bin", configuration, framework, "TinyNet.Distributed.Worker.dll");
        return File.Exists(worker) ? worker : throw new FileNotFoundException("The worker program is not built; build tests/TinyNet.Distributed.Worker.", worker);
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    private static (int Exit, string Output) Run(string program, string[] arguments, TimeSpan timeout) =>
        ExternalProcess.Run(program, arguments, timeout);
}
