using System.Globalization;
using System.Text.Json;
using TinyNet.Kernels;

namespace TinyNet.Data;

/// <summary>
/// Scales each feature to mean 0 and standard deviation 1, with the statistics of the training
/// set: x' = (x - mean) / scale, where scale is the population standard deviation, or 1 for a
/// constant feature (which then becomes 0 rather than a division by zero), as scikit-learn's
/// StandardScaler does. Fit it on the training set only, then apply it to every dataset; save it
/// with the model (<see cref="Serialization.ModelFile.Save"/>) so that predictions see the same scaling.
/// </summary>
public sealed class Standardizer
{
    private readonly float[] _mean;
    private readonly float[] _scale;

    /// <summary>Creates a standardizer from known statistics.</summary>
    /// <param name="mean">The mean of each feature; finite.</param>
    /// <param name="scale">What each feature is divided by after the mean is taken off; finite and positive.</param>
    public Standardizer(IReadOnlyList<float> mean, IReadOnlyList<float> scale)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        if (mean.Count == 0 || mean.Count != scale.Count)
        {
            throw new ArgumentException($"mean has {mean.Count} values and scale {scale.Count}; they need one each per feature, at least one.", nameof(scale));
        }

        for (int i = 0; i < mean.Count; i++)
        {
            if (!float.IsFinite(mean[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"mean[{i}] is {mean[i]}; it must be finite."), nameof(mean));
            }

            if (!(float.IsFinite(scale[i]) && scale[i] > 0f))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"scale[{i}] is {scale[i]}; it must be finite and positive."), nameof(scale));
            }
        }

        _mean = [.. mean];
        _scale = [.. scale];
    }

    /// <summary>The mean of each feature.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>The divisor of each feature: its standard deviation, or 1 where that is 0.</summary>
    public IReadOnlyList<float> Scale => _scale;

    /// <summary>The number of features (floats per sample) it applies to.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>Fits the statistics of each feature over the samples.</summary>
    /// <param name="inputs">[samples, ...]: every float of a sample is a feature.</param>
    /// <returns>The fitted standardizer.</returns>
    public static Standardizer Fit(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Rank < 2 || inputs.Dimension(0) == 0 || inputs.Length == 0)
        {
            throw new ArgumentException($"inputs must be [samples, features...] with at least one sample and one feature; got {Tensor.FormatShape(inputs.Shape)}.", nameof(inputs));
        }

        int samples = inputs.Dimension(0);
        int features = inputs.Length / samples;
        double[] mean = new double[features];
        double[] deviation = new double[features];
        StatisticsKernels.ColumnMeanAndDeviation(inputs.AsSpan(), samples, mean, deviation);
        float[] scale = new float[features];
        for (int i = 0; i < features; i++)
        {
            scale[i] = deviation[i] > 0 && (float)deviation[i] > 0f ? (float)deviation[i] : 1f;
        }

        return new Standardizer(mean.Select(m => (float)m).ToArray(), scale);
    }

    /// <summary>Fits the statistics of each feature over a dataset's inputs.</summary>
    /// <param name="data">The training set.</param>
    /// <returns>The fitted standardizer.</returns>
    public static Standardizer Fit(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Fit(data.Inputs);
    }

    /// <summary>The standardized copy of some inputs.</summary>
    /// <param name="inputs">[samples, ...] with <see cref="FeatureCount"/> floats per sample.</param>
    /// <returns>A new tensor of the same shape.</returns>
    public Tensor Transform(Tensor inputs)
    {
        CheckFits(inputs, nameof(inputs));
        var output = new Tensor([.. inputs.Shape]);
        StatisticsKernels.Standardize(inputs.AsSpan(), _mean, _scale, output.AsSpan());
        return output;
    }

    /// <summary>A new dataset with standardized inputs and the same targets (shared, not copied).</summary>
    /// <param name="data">A dataset with <see cref="FeatureCount"/> floats per sample.</param>
    /// <returns>The standardized dataset.</returns>
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckFits(data.Inputs, nameof(data));
        return new Dataset(Transform(data.Inputs), data.Targets);
    }

    /// <summary>Says the feature count, e.g. <c>Standardizer(features: 4)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Standardizer(features: {FeatureCount})");

    /// <summary>The statistics as JSON, for a model file's metadata; floats round-trip exactly.</summary>
    internal string ToJson() => JsonSerializer.Serialize(new StandardizerState(_mean, _scale));

    /// <summary>Reads <see cref="ToJson"/>'s text.</summary>
    internal static Standardizer FromJson(string json)
    {
        StandardizerState state = JsonSerializer.Deserialize<StandardizerState>(json) ?? throw new JsonException("no standardizer state");
        return new Standardizer(state.Mean ?? [], state.Scale ?? []);
    }

    private void CheckFits(Tensor inputs, string argument)
    {
        ArgumentNullException.ThrowIfNull(inputs, argument);
        if (inputs.Rank < 1 || inputs.Dimension(0) == 0 || inputs.Length / inputs.Dimension(0) != FeatureCount)
        {
            throw new ArgumentException(
                $"{argument} has shape {Tensor.FormatShape(inputs.Shape)}; this standardizer was fitted on {FeatureCount} features per sample.", argument);
        }
    }

    private sealed record StandardizerState(float[] Mean, float[] Scale);
}
