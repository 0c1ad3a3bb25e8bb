using System.Globalization;
using TinyNet.Kernels;

namespace TinyNet.Optimizers;

/// <summary>
/// Adam with PyTorch's update rule: g = grad + weightDecay * p (L2, coupled);
/// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g²; p = p - (lr / (1 - b1^t)) m / (sqrt(v / (1 - b2^t)) + eps).
/// <see cref="AdamW"/> decouples the decay instead.
/// </summary>
public class Adam : Optimizer
{
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly bool _decoupled;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The learning rate, finite and zero or positive.</param>
    /// <param name="beta1">The decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">The decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator, finite and above zero.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient, finite and zero or positive.</param>
    public Adam(
        IEnumerable<Parameter> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0)
        : this(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: false)
    {
    }

    /// <summary>Creates Adam, or AdamW when <paramref name="decoupled"/>.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The learning rate.</param>
    /// <param name="beta1">The decay of the first moment.</param>
    /// <param name="beta2">The decay of the second moment.</param>
    /// <param name="epsilon">Added to the denominator.</param>
    /// <param name="weightDecay">The weight decay.</param>
    /// <param name="decoupled">Decay the weights directly (AdamW) rather than through the gradient.</param>
    private protected Adam(
        IEnumerable<Parameter> parameters, float learningRate, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled)
        : base(parameters, learningRate)
    {
        CheckUnitInterval(beta1, nameof(beta1));
        CheckUnitInterval(beta2, nameof(beta2));
        if (!(epsilon > 0f) || float.IsInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite and above zero.");
        }

        CheckNonNegative(weightDecay, nameof(weightDecay), "The weight decay");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        _decoupled = decoupled;
        _firstMoments = CreateState();
        _secondMoments = CreateState();
    }

    /// <summary>The decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>The decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the denominator.</summary>
    public float Epsilon { get; }

    /// <summary>The weight decay: L2 through the gradient (Adam) or decoupled (AdamW).</summary>
    public float WeightDecay { get; }

    /// <summary>Reads as <c>Adam(learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1E-08, weightDecay: 0)</c>.</summary>
    /// <returns>The optimizer's settings.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{GetType().Name}(learningRate: {LearningRate}, beta1: {Beta1}, beta2: {Beta2}, epsilon: {Epsilon}, weightDecay: {WeightDecay})");

    /// <inheritdoc/>
    internal override IReadOnlyList<(string Name, Tensor[] Tensors)> State => [("exp_avg", _firstMoments), ("exp_avg_sq", _secondMoments)];

    /// <inheritdoc/>
    protected sealed override void Update(int index, Parameter parameter) =>
        OptimizerKernels.Adam(
            parameter.Value.AsSpan(),
            parameter.Gradient.AsSpan(),
            _firstMoments[index].AsSpan(),
            _secondMoments[index].AsSpan(),
            LearningRate,
            Beta1,
            Beta2,
            Epsilon,
            WeightDecay,
            _decoupled,
            StepCount);
}
