using System.Globalization;

namespace TinyNet.Kernels;

/// <summary>Process-wide settings of the compute kernels.</summary>
public static class KernelOptions
{
    /// <summary>The environment variable read at start-up to set <see cref="MaxDegreeOfParallelism"/>.</summary>
    public const string ThreadCountVariable = "TINYNET_NUM_THREADS";

    private static int s_maxDegreeOfParallelism = ReadThreadCount();

    /// <summary>
    /// The most threads one kernel call may use, the calling thread included. Defaults to
    /// <see cref="Environment.ProcessorCount"/>, or to the value of <c>TINYNET_NUM_THREADS</c> when
    /// that is set at start-up. Results do not depend on it: the kernels never split a sum across
    /// threads, so 1 and N threads give bitwise identical results.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref s_maxDegreeOfParallelism);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref s_maxDegreeOfParallelism, value);
        }
    }

    private static int ReadThreadCount()
    {
        string? text = Environment.GetEnvironmentVariable(ThreadCountVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return Environment.ProcessorCount;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int count) || count < 1)
        {
            throw new InvalidOperationException(
                $"{ThreadCountVariable} must be a whole number of at least 1; it is '{text}'.");
        }

        return count;
    }
}
