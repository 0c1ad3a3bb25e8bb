using TinyNet.Optimizers;

namespace TinyNet.Tests.Optimizers;

/// <summary>
/// Each optimizer against a hand-computed sequence of its published rule (PyTorch's pseudo-code
/// for SGD, Adam and AdamW), three steps with different gradients, on 37 elements so that both
/// the vector path and the scalar tail are used.
/// </summary>
[TestFixture]
public sealed class OptimizerTests
{
    private const int Length = 37;

    [TestCase(0f, false, 0f)]
    [TestCase(0.9f, false, 0f)]
    [TestCase(0.9f, true, 0f)]
    [TestCase(0.5f, false, 0.1f)]
    [TestCase(0.8f, true, 0.05f)]
    public void Sgd_follows_PyTorchs_rule(float momentum, bool nesterov, float weightDecay)
    {
        const float lr = 0.1f;
        Parameter parameter = MakeParameter(out double[] p);
        var optimizer = new Sgd([parameter], lr, momentum, nesterov, weightDecay);
        double[] buffer = new double[Length];
        for (int t = 1; t <= 3; t++)
        {
            double[] g = SetGradient(parameter, t);
            for (int i = 0; i < Length; i++)
            {
                double gi = g[i] + (weightDecay * p[i]);
                if (momentum != 0)
                {
                    buffer[i] = t == 1 ? gi : (momentum * buffer[i]) + gi;
                    gi = nesterov ? gi + (momentum * buffer[i]) : buffer[i];
                }

                p[i] -= lr * gi;
            }

            optimizer.Step();
            AssertClose(parameter, p, $"step {t}");
        }
    }

    [TestCase(0f)]
    [TestCase(0.1f)]
    public void Adam_follows_PyTorchs_rule_with_bias_correction(float weightDecay)
    {
        const float lr = 0.01f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
        Parameter parameter = MakeParameter(out double[] p);
        var optimizer = new Adam([parameter], lr, beta1, beta2, eps, weightDecay);
        var reference = new AdamReference(lr, beta1, beta2, eps);
        for (int t = 1; t <= 3; t++)
        {
            double[] g = SetGradient(parameter, t);
            for (int i = 0; i < Length; i++)
            {
                p[i] = reference.Update(i, p[i], g[i] + (weightDecay * p[i]), t);
            }

            optimizer.Step();
            AssertClose(parameter, p, $"step {t}");
        }
    }

    [Test]
    public void AdamW_decays_the_weights_apart_from_the_gradient()
    {
        const float lr = 0.01f, beta1 = 0.8f, beta2 = 0.99f, eps = 1e-6f, weightDecay = 0.5f;
        Parameter parameter = MakeParameter(out double[] p);
        var optimizer = new AdamW([parameter], lr, beta1, beta2, eps, weightDecay);
        var reference = new AdamReference(lr, beta1, beta2, eps);
        for (int t = 1; t <= 3; t++)
        {
            double[] g = SetGradient(parameter, t);
            for (int i = 0; i < Length; i++)
            {
                p[i] = reference.Update(i, p[i] * (1 - (lr * weightDecay)), g[i], t);
            }

            optimizer.Step();
            AssertClose(parameter, p, $"step {t}");
        }
    }

    [Test]
    public void Moments_of_dead_gradients_are_flushed_instead_of_decaying_into_subnormals()
    {
        // With decay 0.5 and no gradient, moments of 1e-3 and 1e-9 halve into the subnormal
        // range (below 1.2e-38) after about 100 to 120 steps, and to zero only after about 150.
        Parameter parameter = MakeParameter(out _);
        var adam = new Adam([parameter], beta1: 0.5f, beta2: 0.5f);
        var sgd = new Sgd([parameter], 0.1f, momentum: 0.5f);
        parameter.Gradient.AsSpan().Fill(1e-3f);
        adam.Step();
        sgd.Step();
        parameter.Gradient.AsSpan().Clear();
        for (int i = 0; i < 115; i++)
        {
            adam.Step();
            sgd.Step();
        }

        IEnumerable<float> state = adam.State.Concat(sgd.State).SelectMany(s => s.Tensors).SelectMany(t => t.ToArray());
        Assert.That(state, Is.All.Matches<float>(v => v == 0f || float.IsNormal(v)), "no subnormal survives in the moments");
        Assert.That(parameter.Value.ToArray(), Is.All.Matches<float>(float.IsFinite));
    }

    [Test]
    public void The_defaults_are_PyTorchs()
    {
        Parameter parameter = MakeParameter(out _);
        var adam = new Adam([parameter]);
        Assert.That((adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay), Is.EqualTo((1e-3f, 0.9f, 0.999f, 1e-8f, 0f)));
        Assert.That(new AdamW([parameter]).WeightDecay, Is.EqualTo(1e-2f));
    }

    [Test]
    public void ZeroGrad_clears_every_gradient_and_Step_counts()
    {
        Parameter first = MakeParameter(out _);
        Parameter second = new("other", new Tensor(3));
        SetGradient(first, 1);
        second.Gradient.AsSpan().Fill(2f);
        var optimizer = new Sgd([first, second], 0.1f);
        optimizer.Step();
        optimizer.Step();
        optimizer.ZeroGrad();
        Assert.That(first.Gradient.ToArray().Concat(second.Gradient.ToArray()), Is.All.EqualTo(0f));
        Assert.That(optimizer.StepCount, Is.EqualTo(2));
    }

    [Test]
    public void A_step_allocates_nothing()
    {
        Parameter parameter = MakeParameter(out _);
        SetGradient(parameter, 1);
        var adam = new Adam([parameter]);
        var sgd = new Sgd([parameter], 0.1f, momentum: 0.9f);
        adam.Step();
        sgd.Step();
        Assert.That(TestData.AllocatedBytes(() => { adam.Step(); sgd.Step(); adam.ZeroGrad(); }, 20), Is.Zero);
    }

    [Test]
    public void Bad_arguments_are_rejected_before_anything_changes()
    {
        Parameter parameter = MakeParameter(out _);
        Assert.Throws<ArgumentException>(() => _ = new Sgd([], 0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Sgd([parameter], float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Sgd([parameter], -0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Sgd([parameter], 0.1f, momentum: 1f));
        Assert.Throws<ArgumentException>(() => _ = new Sgd([parameter], 0.1f, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Adam([parameter], beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Adam([parameter], epsilon: 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new AdamW([parameter], weightDecay: -1f));
        var duplicate = Assert.Throws<ArgumentException>(() => _ = new Sgd([parameter, parameter], 0.1f));
        Assert.That(duplicate!.Message, Does.Contain("parameters[1]").And.Contain("updated twice"));

        var sgd = new Sgd([parameter], 0.1f);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = float.PositiveInfinity);
        Assert.That(sgd.LearningRate, Is.EqualTo(0.1f));
    }

    private static Parameter MakeParameter(out double[] values)
    {
        var tensor = new Tensor(Length);
        values = new double[Length];
        for (int i = 0; i < Length; i++)
        {
            tensor.AsSpan()[i] = (float)Math.Sin(i + 1);
            values[i] = tensor.AsSpan()[i];
        }

        return new Parameter("w", tensor);
    }

    /// <summary>A different gradient at every step t, some zero, some large.</summary>
    private static double[] SetGradient(Parameter parameter, int t)
    {
        double[] g = new double[Length];
        for (int i = 0; i < Length; i++)
        {
            float value = i % 7 == 0 ? 0f : (float)(Math.Cos((i * t) + 0.5) * (1 + (i % 3)));
            parameter.Gradient.AsSpan()[i] = value;
            g[i] = value;
        }

        return g;
    }

    private static void AssertClose(Parameter parameter, double[] expected, string when)
    {
        float[] actual = parameter.Value.ToArray();
        for (int i = 0; i < Length; i++)
        {
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within((1e-6 * Math.Abs(expected[i])) + 1e-6), $"{when}, element {i}");
        }
    }

    /// <summary>Adam's published rule in double, one element at a time, with its moments.</summary>
    private sealed class AdamReference(double lr, double beta1, double beta2, double eps)
    {
        private readonly double[] _m = new double[Length];
        private readonly double[] _v = new double[Length];

        public double Update(int i, double p, double g, int t)
        {
            _m[i] = (beta1 * _m[i]) + ((1 - beta1) * g);
            _v[i] = (beta2 * _v[i]) + ((1 - beta2) * g * g);
            double mHat = _m[i] / (1 - Math.Pow(beta1, t));
            double vHat = _v[i] / (1 - Math.Pow(beta2, t));
            return p - (lr * mHat / (Math.Sqrt(vHat) + eps));
        }
    }
}
