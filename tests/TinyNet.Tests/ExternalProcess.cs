using System.Diagnostics;

namespace TinyNet.Tests;

/// <summary>Runs another program (python3, mpirun, dotnet) for the tests that check TinyNet against it.</summary>
internal static class ExternalProcess
{
    /// <summary>Runs <paramref name="program"/> to its end and returns its exit code and everything it printed; fails the test if it takes longer than <paramref name="timeout"/>.</summary>
    public static (int Exit, string Output) Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish in {timeout}.");
        }

        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
