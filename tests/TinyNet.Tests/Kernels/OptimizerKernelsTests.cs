using TinyNet.Kernels;

namespace TinyNet.Tests.Kernels;

/// <summary>
/// The optimizers' updates split over threads. A parameter of two or more parts
/// (<see cref="OptimizerKernels.PartLength"/> floats each) is updated part by part on the pool;
/// each element is updated alone, so every thread count must give the one-thread result to the
/// bit, every part included (the rule itself is tested on small parameters in OptimizerTests).
/// </summary>
[TestFixture]
public sealed class OptimizerKernelsTests
{
    /// <summary>Three whole parts and a short one, whose last 21 floats are past the vectors.</summary>
    private static readonly int Length = (3 * OptimizerKernels.PartLength) + 1000 + 21;

    [TestCase(0f, false)]
    [TestCase(0.1f, false)]
    [TestCase(0.1f, true)]
    public void Adam_split_over_threads_is_bitwise_the_one_thread_update(float weightDecay, bool decoupled) =>
        AssertSplitIsBitwiseOneThread(4, (t, step, threads) =>
            OptimizerKernels.Adam(t[0], t[1], t[2], t[3], 0.01f, 0.9f, 0.999f, 1e-8f, weightDecay, decoupled, step, threads));

    [TestCase(0f, false)]
    [TestCase(0.9f, false)]
    [TestCase(0.9f, true)]
    public void Sgd_split_over_threads_is_bitwise_the_one_thread_update(float momentum, bool nesterov) =>
        AssertSplitIsBitwiseOneThread(3, (t, step, threads) =>
            OptimizerKernels.Sgd(t[0], t[1], t[2], 0.1f, momentum, nesterov, 0.01f, firstStep: step == 1, threads));

    [Test]
    public void Only_parameters_of_two_parts_or_more_are_split_and_only_on_several_threads()
    {
        // The bitwise tests below would pass as well if nothing were ever split: pin the rule.
        Assert.That(OptimizerKernels.Parts(Length, 2), Is.EqualTo(4), "three whole parts and a short one");
        Assert.That(OptimizerKernels.Parts(Length, 1), Is.EqualTo(1), "one thread");
        Assert.That(OptimizerKernels.Parts((2 * OptimizerKernels.PartLength) - 1, 8), Is.EqualTo(1), "under two parts");
        Assert.That(OptimizerKernels.Parts(2 * OptimizerKernels.PartLength, 2), Is.EqualTo(2), "two parts");
    }

    [Test]
    public void A_split_update_allocates_nothing_once_warm()
    {
        // The job is made once per calling thread; every later split call reuses it.
        float[][] t = Operands(4);
        void Steps()
        {
            OptimizerKernels.Adam(t[0], t[1], t[2], t[3], 0.01f, 0.9f, 0.999f, 1e-8f, 0f, false, 1, maxThreads: 2);
            OptimizerKernels.Sgd(t[0], t[1], t[2], 0.1f, 0.9f, false, 0f, firstStep: false, maxThreads: 2);
            OptimizerKernels.Zero(t[1], maxThreads: 2);
        }

        Steps();
        Assert.That(TestData.AllocatedBytes(Steps, 5), Is.Zero);
    }

    [Test]
    public void Zeroing_split_over_threads_clears_every_element_and_nothing_past_them()
    {
        foreach (int threads in new[] { 1, 2, 3 })
        {
            float[] gradient = Operands(2)[1];
            var span = new Span<float>(gradient, 0, Length - 5);
            OptimizerKernels.Zero(span, threads);
            Assert.That(gradient[..(Length - 5)], Is.All.EqualTo(0f), $"cleared on {threads} threads");
            Assert.That(gradient[(Length - 5)..], Is.All.Not.EqualTo(0f), $"nothing past the span on {threads} threads");
        }
    }

    /// <summary>
    /// Two steps of <paramref name="update"/> (tensors, step, threads) on one thread move every
    /// element of the parameter; on 2 and 3 threads they leave every tensor bitwise the same.
    /// </summary>
    private static void AssertSplitIsBitwiseOneThread(int tensors, Action<float[][], int, int> update)
    {
        float[][] single = Operands(tensors);
        float[] before = (float[])single[0].Clone();
        for (int step = 1; step <= 2; step++)
        {
            update(single, step, 1);
        }

        Assert.That(single[0].Zip(before).Count(pair => pair.First != pair.Second), Is.EqualTo(Length), "every element moved");
        foreach (int threads in new[] { 2, 3 })
        {
            float[][] split = Operands(tensors);
            for (int step = 1; step <= 2; step++)
            {
                update(split, step, threads);
            }

            for (int i = 0; i < tensors; i++)
            {
                Assert.That(split[i], Is.EqualTo(single[i]).AsCollection, $"tensor {i} on {threads} threads");
            }
        }
    }

    /// <summary>The parameter, its gradient (never zero) and <paramref name="count"/> - 2 state tensors, the same for every call.</summary>
    private static float[][] Operands(int count)
    {
        var random = new Random(17);
        var operands = new float[count][];
        for (int i = 0; i < count; i++)
        {
            operands[i] = new float[Length];
            for (int j = 0; j < Length; j++)
            {
                float value = (random.NextSingle() * 2f) - 1f;
                operands[i][j] = i == 1 ? MathF.CopySign(0.01f + MathF.Abs(value), value) : i == 3 ? MathF.Abs(value) : value;
            }
        }

        return operands;
    }
}
