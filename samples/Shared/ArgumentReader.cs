using System.Globalization;
using TinyNet.Kernels;
using TinyNet.Layers;

namespace TinyNet.Samples;

/// <summary>The samples' command-line reading: <c>--name value</c> pairs and <c>-h</c>/<c>--help</c>, with checked values.</summary>
public static class ArgumentReader
{
    /// <summary>
    /// A sample's start: parses the options; on bad ones prints the error and returns exit code
    /// 2, on --help prints <paramref name="help"/> and returns 0; otherwise applies --threads and
    /// the seed of the initial weights, and returns null with the options.
    /// </summary>
    public static int? Start<TOptions>(string[] args, Func<IReadOnlyList<string>, TOptions> parse, string help, out TOptions options)
        where TOptions : class, ISampleOptions
    {
        try
        {
            options = parse(args);
        }
        catch (ArgumentException error)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine("Run with --help to see the options.");
            options = null!;
            return 2;
        }

        if (options.ShowHelp)
        {
            Console.WriteLine(help);
            return 0;
        }

        if (options.Threads is int threads)
        {
            KernelOptions.MaxDegreeOfParallelism = threads;
        }

        Initializers.SetSeed(options.Seed);
        return null;
    }

    /// <summary>
    /// Hands each <c>--name value</c> pair to <paramref name="set"/>, which returns false for a
    /// name it does not know, and each of the <paramref name="flags"/> with the value "true";
    /// returns true when help was asked for. Throws <see cref="ArgumentException"/> with a
    /// message for the user.
    /// </summary>
    public static bool Read(IReadOnlyList<string> args, Func<string, string, bool> set, params string[] flags)
    {
        bool help = false;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help")
            {
                help = true;
                continue;
            }

            if (flags.Contains(name))
            {
                set(name, "true");
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value (see --help).");
            }

            if (!set(name, args[++i]))
            {
                throw new ArgumentException($"Unknown option '{name}' (see --help).");
            }
        }

        return help;
    }

    public static int Whole(string name, string value, int minimum)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) || number < minimum)
        {
            throw new ArgumentException($"{name} must be a whole number of at least {minimum}; got '{value}'.");
        }

        return number;
    }

    public static float Positive(string name, string value)
    {
        if (!float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float number) || !(number > 0) || float.IsInfinity(number))
        {
            throw new ArgumentException($"{name} must be a positive number; got '{value}'.");
        }

        return number;
    }

    public static string OneOf(string name, string value, params string[] choices) =>
        choices.Contains(value, StringComparer.OrdinalIgnoreCase)
            ? value.ToLowerInvariant()
            : throw new ArgumentException($"{name} must be one of {string.Join(", ", choices)}; got '{value}'.");

    public static string Folder(string name, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{name} needs a folder name.") : value;
}
