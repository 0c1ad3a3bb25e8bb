namespace TinyNet.Training.Callbacks;

/// <summary>Whether a monitored value improves by going down or up.</summary>
public enum MonitorMode
{
    /// <summary>Lower is better (losses).</summary>
    Min,

    /// <summary>Higher is better (accuracies).</summary>
    Max,
}
