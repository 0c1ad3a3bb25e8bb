using System.Globalization;
using TinyNet.Kernels;

namespace TinyNet.Optimizers;

/// <summary>
/// Updates parameters from their gradients. <see cref="Step"/> applies one update (one step, in
/// TinyNet's words) and <see cref="ZeroGrad"/> clears the gradients for the next. State (momentum
/// buffers, moments) is kept per parameter and allocated up front, so a step allocates nothing.
/// </summary>
public abstract class Optimizer
{
    private readonly Parameter[] _parameters;
    private float _learningRate;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameters to update; at least one, none twice.</param>
    /// <param name="learningRate">The learning rate: finite and zero or positive.</param>
    protected Optimizer(IEnumerable<Parameter> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckNonNegative(learningRate, nameof(learningRate), "The learning rate");
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0)
        {
            throw new ArgumentException("The optimizer was given no parameters to update.", nameof(parameters));
        }

        for (int i = 0; i < _parameters.Length; i++)
        {
            if (_parameters[i] is null)
            {
                throw new ArgumentException($"parameters[{i}] is null.", nameof(parameters));
            }

            for (int j = 0; j < i; j++)
            {
                if (_parameters[j].Value == _parameters[i].Value)
                {
                    throw new ArgumentException(
                        $"parameters[{i}] ({_parameters[i]}) has the same tensor as parameters[{j}] ({_parameters[j]}); each would be updated twice.",
                        nameof(parameters));
                }
            }
        }

        LearningRate = learningRate;
    }

    /// <summary>The parameters this optimizer updates.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The learning rate of the next step; a schedule sets it before each step.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            CheckNonNegative(value, nameof(value), "The learning rate");
            _learningRate = value;
        }
    }

    /// <summary>The number of steps taken so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>Per-parameter state tensors by kind (PyTorch's names: momentum_buffer, exp_avg, exp_avg_sq), for checkpoints.</summary>
    internal virtual IReadOnlyList<(string Name, Tensor[] Tensors)> State => [];

    /// <summary>Sets the step count when a checkpoint is loaded (Adam's bias correction depends on it).</summary>
    internal void RestoreStepCount(long steps) => StepCount = steps;

    /// <summary>Applies one update to every parameter from its accumulated gradient.</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < _parameters.Length; i++)
        {
            Update(i, _parameters[i]);
        }
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter parameter in _parameters)
        {
            OptimizerKernels.Zero(parameter.Gradient.AsSpan());
        }
    }

    /// <summary>Updates one parameter; <see cref="StepCount"/> already counts this step.</summary>
    /// <param name="index">The parameter's position in <see cref="Parameters"/>, for its state.</param>
    /// <param name="parameter">The parameter.</param>
    protected abstract void Update(int index, Parameter parameter);

    /// <summary>Throws unless <paramref name="value"/> is finite and zero or positive.</summary>
    /// <param name="value">The value.</param>
    /// <param name="argument">The argument's name.</param>
    /// <param name="what">What it is, for the message.</param>
    protected static void CheckNonNegative(float value, string argument, string what)
    {
        if (!(value >= 0f) || float.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(argument, value, $"{what} must be finite and zero or positive; it is {value.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is in [0, 1).</summary>
    /// <param name="value">The value.</param>
    /// <param name="argument">The argument's name.</param>
    protected static void CheckUnitInterval(float value, string argument)
    {
        if (!(value >= 0f && value < 1f))
        {
            throw new ArgumentOutOfRangeException(argument, value, $"{argument} must be in [0, 1); it is {value.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    /// <summary>One zero tensor per parameter, of its shape: per-parameter optimizer state.</summary>
    /// <returns>The state tensors, in parameter order.</returns>
    protected Tensor[] CreateState() => _parameters.Select(p => new Tensor([.. p.Value.Shape])).ToArray();
}
