namespace TinyNet.Samples;

/// <summary>What every sample's options have, for <see cref="ArgumentReader.Start{TOptions}"/>.</summary>
public interface ISampleOptions
{
    /// <summary>Whether -h or --help was given.</summary>
    bool ShowHelp { get; }

    /// <summary>The kernels' thread count from --threads, or null for all cores.</summary>
    int? Threads { get; }

    /// <summary>The seed of the data, the weights and the sample order.</summary>
    int Seed { get; }
}
