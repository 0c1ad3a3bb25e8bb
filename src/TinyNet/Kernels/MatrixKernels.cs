namespace TinyNet.Kernels;

/// <summary>Row and column operations on row-major matrices, for bias terms.</summary>
internal static class MatrixKernels
{
    /// <summary>Copies <paramref name="row"/> into every row of <paramref name="matrix"/> ([rows, row.Length]).</summary>
    public static void BroadcastRows(ReadOnlySpan<float> row, Span<float> matrix, int rows)
    {
        CheckMatrix(matrix.Length, rows, row.Length, nameof(matrix));
        for (int i = 0; i < rows; i++)
        {
            row.CopyTo(matrix.Slice(i * row.Length, row.Length));
        }
    }

    /// <summary>sums[j] += the sum over i of matrix[i, j], for a [rows, sums.Length] matrix.</summary>
    public static void AddColumnSums(ReadOnlySpan<float> matrix, int rows, Span<float> sums)
    {
        CheckMatrix(matrix.Length, rows, sums.Length, nameof(matrix));
        for (int i = 0; i < rows; i++)
        {
            Elementwise.Map(default(AddOperator), sums, matrix.Slice(i * sums.Length, sums.Length), sums);
        }
    }

    private static void CheckMatrix(int length, int rows, int columns, string argument)
    {
        if (rows < 0 || length != (long)rows * columns)
        {
            throw new ArgumentException($"{argument} has {length} elements; a [{rows}, {columns}] matrix has {(long)rows * columns}.", argument);
        }
    }
}
