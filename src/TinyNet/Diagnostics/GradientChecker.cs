using System.Globalization;
using TinyNet.Layers;
using TinyNet.Losses;

namespace TinyNet.Diagnostics;

/// <summary>
/// Checks a layer's or a loss's backward pass against central finite differences, so custom
/// layers can be tested the way TinyNet tests its own. For a layer, the scalar being
/// differentiated is L = sum r_i y_i with fixed random weights r (so every output element
/// matters); L is summed in double, and each checked element x gets the numeric gradient
/// (L(x + h) - L(x - h)) / 2h. Elements are sampled evenly when a tensor has more than
/// <c>maxElementsPerTensor</c>. The relative error of an element is
/// |analytic - numeric| / max(|analytic| + |numeric|, <see cref="Floor"/>).
/// </summary>
public static class GradientChecker
{
    /// <summary>The default finite-difference step: large enough that float rounding stays small beside it.</summary>
    public const float DefaultStep = 1e-3f;

    /// <summary>The default tolerance of <see cref="GradientCheckResult.Passed"/> for float32.</summary>
    public const double DefaultTolerance = 1e-2;

    /// <summary>
    /// The smallest denominator of the relative error. A float forward pass is only exact to about
    /// 1e-7 of its outputs, so a numeric gradient carries noise near 1e-7 / h; gradients far below
    /// this floor are compared by absolute difference instead of relative error.
    /// </summary>
    public const double Floor = 1e-2;

    /// <summary>Checks the input gradient and every parameter gradient of <paramref name="layer"/> at <paramref name="input"/>.</summary>
    /// <param name="layer">The layer; it should be deterministic (Dropout: in evaluation mode). Its parameter gradients are overwritten.</param>
    /// <param name="input">The input to check at; its values are restored afterwards.</param>
    /// <param name="step">The finite-difference step h.</param>
    /// <param name="maxElementsPerTensor">At most this many elements of each tensor are checked.</param>
    /// <param name="seed">The seed of the output weights r.</param>
    /// <param name="checkInput">Whether to check the input gradient too; false for inputs that are not differentiable, such as <see cref="Embedding"/>'s indices.</param>
    /// <returns>The worst disagreement found.</returns>
    public static GradientCheckResult CheckLayer(
        Layer layer, Tensor input, float step = DefaultStep, int maxElementsPerTensor = 64, int seed = 0, bool checkInput = true)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        CheckSettings(step, maxElementsPerTensor);

        // The analytic gradients, for L = sum r y.
        Tensor output = layer.Forward(input);
        float[] weights = RandomWeights(output.Length, seed);
        foreach (Parameter parameter in layer.Parameters)
        {
            parameter.Gradient.AsSpan().Clear();
        }

        bool requiresInputGradient = layer.RequiresInputGradient;
        layer.RequiresInputGradient = true;
        float[] inputGradient;
        try
        {
            inputGradient = layer.Backward(Tensor.FromArray(weights, [.. output.Shape])).ToArray();
        }
        finally
        {
            layer.RequiresInputGradient = requiresInputGradient;
        }

        var worst = new Worst();
        double Objective() => WeightedSum(layer.Forward(input).AsSpan(), weights);
        if (checkInput)
        {
            Compare(input.AsSpan(), inputGradient, "input", Objective, step, maxElementsPerTensor, ref worst);
        }

        foreach (Parameter parameter in layer.Parameters)
        {
            Compare(parameter.Value.AsSpan(), parameter.Gradient.ToArray(), parameter.Name, Objective, step, maxElementsPerTensor, ref worst);
        }

        return worst.ToResult();
    }

    /// <summary>Checks the gradient of <paramref name="loss"/> with respect to the prediction.</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="prediction">The prediction to check at; its values are restored afterwards.</param>
    /// <param name="target">The target.</param>
    /// <param name="step">The finite-difference step h.</param>
    /// <param name="maxElementsPerTensor">At most this many elements are checked.</param>
    /// <returns>The worst disagreement found.</returns>
    public static GradientCheckResult CheckLoss(
        Loss loss, Tensor prediction, Tensor target, float step = DefaultStep, int maxElementsPerTensor = 64)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        CheckSettings(step, maxElementsPerTensor);
        loss.Forward(prediction, target);
        float[] analytic = loss.Backward().ToArray();
        var worst = new Worst();
        Compare(prediction.AsSpan(), analytic, "prediction", () => loss.Forward(prediction, target), step, maxElementsPerTensor, ref worst);
        return worst.ToResult();
    }

    private static void Compare(
        Span<float> values, float[] analytic, string name, Func<double> objective, float step, int maxElements, ref Worst worst)
    {
        int count = values.Length;
        int stride = Math.Max(1, (count + maxElements - 1) / maxElements);
        for (int i = 0; i < count; i += stride)
        {
            float original = values[i];
            values[i] = original + step;
            double plus = objective();
            values[i] = original - step;
            double minus = objective();
            values[i] = original;

            // The step actually taken, after float rounding of original +- step.
            double taken = (double)(original + step) - (original - step);
            double numeric = (plus - minus) / taken;
            double error = Math.Abs(analytic[i] - numeric) / Math.Max(Math.Abs(analytic[i]) + Math.Abs(numeric), Floor);
            worst.Offer(error, name, i, analytic[i], numeric);
        }

        objective(); // Leave the layer's buffers as the unperturbed values give them.
    }

    private static double WeightedSum(ReadOnlySpan<float> values, float[] weights)
    {
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += (double)values[i] * weights[i];
        }

        return sum;
    }

    private static float[] RandomWeights(int count, int seed)
    {
        var random = new Random(seed);
        var weights = new float[count];
        for (int i = 0; i < count; i++)
        {
            weights[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return weights;
    }

    private static void CheckSettings(float step, int maxElementsPerTensor)
    {
        if (!(step > 0f) || float.IsInfinity(step))
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be finite and above zero.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxElementsPerTensor, 1);
    }

    private struct Worst
    {
        private double _error;
        private string? _element;
        private double _analytic;
        private double _numeric;
        private int _count;

        public void Offer(double error, string name, int index, double analytic, double numeric)
        {
            _count++;
            if (_element is null || error > _error || double.IsNaN(error))
            {
                _error = double.IsNaN(error) ? double.PositiveInfinity : error;
                _element = string.Create(CultureInfo.InvariantCulture, $"{name}[{index}]");
                _analytic = analytic;
                _numeric = numeric;
            }
        }

        public readonly GradientCheckResult ToResult() => new(_error, _element ?? "(nothing)", _analytic, _numeric, _count);
    }
}
