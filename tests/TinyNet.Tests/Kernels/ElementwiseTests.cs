using System.Runtime.Intrinsics;
using TinyNet.Kernels;

namespace TinyNet.Tests.Kernels;

/// <summary>Every vector width of the element-wise kernels against the scalar path of the same operator.</summary>
[TestFixture]
public sealed unsafe class ElementwiseTests
{
    private static IEnumerable<TestCaseData> UnaryOperators()
    {
        yield return Case(default(ReluOperator), "Relu");
        yield return Case(new LeakyReluOperator(0.1f), "LeakyRelu");
        yield return Case(default(SigmoidOperator), "Sigmoid");
        yield return Case(default(TanhOperator), "Tanh");
        yield return Case(new GeluOperator(false), "Gelu");
        yield return Case(new GeluOperator(true), "GeluTanh");

        static TestCaseData Case<T>(T op, string name)
            where T : struct, IUnaryOperator =>
            new TestCaseData((Func<float[], int, float[]>)((x, width) => RunUnary(op, x, width))).SetArgDisplayNames(name);
    }

    private static IEnumerable<TestCaseData> BinaryOperators()
    {
        yield return Case(default(ReluGradientOperator), "ReluGradient");
        yield return Case(new LeakyReluGradientOperator(0.1f), "LeakyReluGradient");
        yield return Case(default(SigmoidGradientOperator), "SigmoidGradient");
        yield return Case(default(TanhGradientOperator), "TanhGradient");
        yield return Case(new GeluGradientOperator(false), "GeluGradient");
        yield return Case(new GeluGradientOperator(true), "GeluTanhGradient");
        yield return Case(default(AddOperator), "Add");
        yield return Case(default(MultiplyOperator), "Multiply");

        static TestCaseData Case<T>(T op, string name)
            where T : struct, IBinaryOperator =>
            new TestCaseData((Func<float[], float[], int, float[]>)((x, y, width) => RunBinary(op, x, y, width))).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(UnaryOperators))]
    public void Every_width_agrees_with_the_scalar_path(Func<float[], int, float[]> run)
    {
        float[] x = TestData.Random(1, 8f, 67).ToArray();
        x[0] = 0f;
        x[1] = -100f;
        x[2] = 100f;
        float[] scalar = run(x, 1);
        foreach (int width in new[] { 4, 8, 16 })
        {
            Assume.That(IsSupported(width), Is.True);
            float[] vector = run(x, width);
            Assert.That(vector, Is.EqualTo(scalar).Within(2e-6f).AsCollection, $"width {width}");
            Assert.That(vector, Is.All.Matches<float>(float.IsFinite));
        }
    }

    [TestCaseSource(nameof(BinaryOperators))]
    public void Every_width_agrees_with_the_scalar_path_for_two_inputs(Func<float[], float[], int, float[]> run)
    {
        float[] x = TestData.Random(2, 5f, 67).ToArray();
        float[] y = TestData.Random(3, 2f, 67).ToArray();
        float[] scalar = run(x, y, 1);
        foreach (int width in new[] { 4, 8, 16 })
        {
            Assume.That(IsSupported(width), Is.True);
            Assert.That(run(x, y, width), Is.EqualTo(scalar).Within(2e-6f).AsCollection, $"width {width}");
        }
    }

    [Test]
    public void The_driver_works_in_place_and_on_every_length()
    {
        for (int length = 0; length <= 40; length++)
        {
            float[] values = TestData.Random(length, 3f, length).ToArray();
            float[] expected = values.Select(v => v + v).ToArray();
            Elementwise.Map(default(AddOperator), values, values, values);
            Assert.That(values, Is.EqualTo(expected).AsCollection, $"length {length}");
        }
    }

    [Test]
    public void Mismatched_lengths_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Elementwise.Map(default(ReluOperator), new float[3], new float[4]));
        Assert.That(ex!.ParamName, Is.EqualTo("destination"));
        ex = Assert.Throws<ArgumentException>(() => Elementwise.Map(default(AddOperator), new float[3], new float[2], new float[3]));
        Assert.That(ex!.ParamName, Is.EqualTo("y"));
    }

    private static bool IsSupported(int width) => width switch
    {
        4 => Vector128Simd.IsSupported,
        8 => Vector256Simd.IsSupported,
        16 => Vector512Simd.IsSupported,
        _ => true,
    };

    /// <summary>Runs the operator over x with one width for the whole vectors and the scalar path for the rest.</summary>
    private static float[] RunUnary<T>(T op, float[] x, int width)
        where T : struct, IUnaryOperator
    {
        float[] result = new float[x.Length];
        fixed (float* px = x)
        fixed (float* pr = result)
        {
            int done = width switch
            {
                4 => Elementwise.Map<T, Vector128Simd, Vector128<float>>(op, px, pr, x.Length),
                8 => Elementwise.Map<T, Vector256Simd, Vector256<float>>(op, px, pr, x.Length),
                16 => Elementwise.Map<T, Vector512Simd, Vector512<float>>(op, px, pr, x.Length),
                _ => 0,
            };
            Elementwise.Map<T, ScalarSimd, float>(op, px + done, pr + done, x.Length - done);
        }

        return result;
    }

    private static float[] RunBinary<T>(T op, float[] x, float[] y, int width)
        where T : struct, IBinaryOperator
    {
        float[] result = new float[x.Length];
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pr = result)
        {
            int done = width switch
            {
                4 => Elementwise.Map<T, Vector128Simd, Vector128<float>>(op, px, py, pr, x.Length),
                8 => Elementwise.Map<T, Vector256Simd, Vector256<float>>(op, px, py, pr, x.Length),
                16 => Elementwise.Map<T, Vector512Simd, Vector512<float>>(op, px, py, pr, x.Length),
                _ => 0,
            };
            Elementwise.Map<T, ScalarSimd, float>(op, px + done, py + done, pr + done, x.Length - done);
        }

        return result;
    }
}
