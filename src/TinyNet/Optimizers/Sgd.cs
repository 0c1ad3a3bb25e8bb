using System.Globalization;
using TinyNet.Kernels;

namespace TinyNet.Optimizers;

/// <summary>
/// Stochastic gradient descent with PyTorch's update rule (dampening 0): g = grad + weightDecay * p;
/// with momentum, b = g at the first step and momentum * b + g after, then g = g + momentum * b
/// (Nesterov) or g = b; finally p = p - lr * g.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor[] _momentumBuffers;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The learning rate, finite and zero or positive.</param>
    /// <param name="momentum">The momentum factor, in [0, 1).</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0).</param>
    /// <param name="weightDecay">L2 penalty added to the gradient, finite and zero or positive.</param>
    public Sgd(IEnumerable<Parameter> parameters, float learningRate, float momentum = 0, bool nesterov = false, float weightDecay = 0)
        : base(parameters, learningRate)
    {
        CheckUnitInterval(momentum, nameof(momentum));
        CheckNonNegative(weightDecay, nameof(weightDecay), "The weight decay");
        if (nesterov && momentum == 0f)
        {
            throw new ArgumentException("Nesterov momentum needs a momentum above zero.", nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        _momentumBuffers = momentum == 0f ? [] : CreateState();
    }

    /// <summary>The momentum factor.</summary>
    public float Momentum { get; }

    /// <summary>Whether the momentum is Nesterov's.</summary>
    public bool Nesterov { get; }

    /// <summary>The L2 penalty.</summary>
    public float WeightDecay { get; }

    /// <summary>Reads as <c>Sgd(learningRate: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0)</c>.</summary>
    /// <returns>The optimizer's settings.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Sgd(learningRate: {LearningRate}, momentum: {Momentum}, nesterov: {(Nesterov ? "true" : "false")}, weightDecay: {WeightDecay})");

    /// <inheritdoc/>
    internal override IReadOnlyList<(string Name, Tensor[] Tensors)> State =>
        Momentum == 0f ? [] : [("momentum_buffer", _momentumBuffers)];

    /// <inheritdoc/>
    protected override void Update(int index, Parameter parameter) =>
        OptimizerKernels.Sgd(
            parameter.Value.AsSpan(),
            parameter.Gradient.AsSpan(),
            Momentum == 0f ? [] : _momentumBuffers[index].AsSpan(),
            LearningRate,
            Momentum,
            Nesterov,
            WeightDecay,
            firstStep: StepCount == 1);
}
