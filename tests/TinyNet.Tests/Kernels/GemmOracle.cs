using MathNet.Numerics.LinearAlgebra;

namespace TinyNet.Tests.Kernels;

/// <summary>
/// The independent oracle for GEMM: MathNet.Numerics in double precision, with a tolerance from
/// the standard error bound of a float dot product, |error| &lt;= k * u * sum |a||b| (u = 2^-24),
/// so a correct float result can never fail the comparison and a wrong one almost always does.
/// </summary>
internal static class GemmOracle
{
    private const double UnitRoundoff = 1.0 / (1 << 24);

    /// <summary>Random values in [-1, 1), seeded.</summary>
    public static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    /// <summary>Builds op(X) as a MathNet matrix from a row-major array stored [rows, columns] or transposed.</summary>
    public static Matrix<double> Op(float[] data, int rows, int columns, bool transposed, bool absolute = false)
    {
        int storedRows = transposed ? columns : rows;
        int storedColumns = transposed ? rows : columns;
        var stored = Matrix<double>.Build.Dense(
            storedRows, storedColumns, (i, j) =>
            {
                double value = data[(i * storedColumns) + j];
                return absolute ? Math.Abs(value) : value;
            });
        return transposed ? stored.Transpose() : stored;
    }

    /// <summary>Asserts that <paramref name="actual"/> is alpha * op(A) * op(B) + beta * C0 within the float error bound.</summary>
    public static void AssertProduct(
        float[] actual, float[] a, float[] b, float[] c0, int m, int n, int k,
        bool transposeA, bool transposeB, float alpha, float beta)
    {
        Matrix<double> product = Op(a, m, k, transposeA) * Op(b, k, n, transposeB);
        Matrix<double> magnitude = Op(a, m, k, transposeA, absolute: true) * Op(b, k, n, transposeB, absolute: true);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double old = beta == 0f ? 0 : c0[(i * n) + j];
                double expected = (alpha * product[i, j]) + (beta * old);
                double bound = ((k + 4) * UnitRoundoff * ((Math.Abs(alpha) * magnitude[i, j]) + Math.Abs(beta * old)))
                    + (4 * UnitRoundoff * Math.Abs(expected)) + 1e-30;
                double value = actual[(i * n) + j];
                if (!(Math.Abs(value - expected) <= bound))
                {
                    Assert.Fail(
                        $"C[{i}, {j}] = {value:R}, expected {expected:R} +- {bound:G3} " +
                        $"(m={m}, n={n}, k={k}, transposeA={transposeA}, transposeB={transposeB}, alpha={alpha}, beta={beta}).");
                }
            }
        }
    }
}
