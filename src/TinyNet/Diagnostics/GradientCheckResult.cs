using System.Globalization;

namespace TinyNet.Diagnostics;

/// <summary>What a gradient check found: the worst disagreement between the analytic and the numeric gradient.</summary>
public sealed class GradientCheckResult
{
    internal GradientCheckResult(double maxRelativeError, string worstElement, double analytic, double numeric, int elementsChecked)
    {
        MaxRelativeError = maxRelativeError;
        WorstElement = worstElement;
        Analytic = analytic;
        Numeric = numeric;
        ElementsChecked = elementsChecked;
    }

    /// <summary>The largest |analytic - numeric| / max(|analytic| + |numeric|, <see cref="GradientChecker.Floor"/>) over the checked elements.</summary>
    public double MaxRelativeError { get; }

    /// <summary>Where it occurred, e.g. <c>input[3]</c> or <c>0.weight[12]</c>.</summary>
    public string WorstElement { get; }

    /// <summary>The analytic gradient (from Backward) at the worst element.</summary>
    public double Analytic { get; }

    /// <summary>The numeric gradient (central differences) at the worst element.</summary>
    public double Numeric { get; }

    /// <summary>How many elements were compared.</summary>
    public int ElementsChecked { get; }

    /// <summary>True when <see cref="MaxRelativeError"/> is at most <paramref name="tolerance"/>.</summary>
    /// <param name="tolerance">The largest relative error accepted; 1e-2 suits float32 with the default step.</param>
    /// <returns>Whether the check passed.</returns>
    public bool Passed(double tolerance = GradientChecker.DefaultTolerance) => MaxRelativeError <= tolerance;

    /// <summary>Says the worst element and its two gradients.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"max relative error {MaxRelativeError:G3} at {WorstElement} (analytic {Analytic:G6}, numeric {Numeric:G6}) over {ElementsChecked} elements");
}
