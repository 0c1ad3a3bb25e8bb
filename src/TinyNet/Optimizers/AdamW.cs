namespace TinyNet.Optimizers;

/// <summary>
/// Adam with decoupled weight decay, as PyTorch's <c>AdamW</c>: each step first shrinks the
/// weights, p = p (1 - lr * weightDecay), then applies Adam's update without the L2 term.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The learning rate, finite and zero or positive.</param>
    /// <param name="beta1">The decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">The decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator, finite and above zero.</param>
    /// <param name="weightDecay">The decoupled weight decay, finite and zero or positive.</param>
    public AdamW(
        IEnumerable<Parameter> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 1e-2f)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true)
    {
    }
}
