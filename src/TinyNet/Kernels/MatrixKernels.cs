namespace TinyNet.Kernels;

/// <summary>Row and column operations on row-major matrices: bias terms, softmax rows.</summary>
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

    /// <summary>sums[i] += the sum over j of matrix[i, j], for a [sums.Length, columns] matrix, each row summed in order in double.</summary>
    public static void AddRowSums(ReadOnlySpan<float> matrix, int columns, Span<float> sums)
    {
        CheckMatrix(matrix.Length, sums.Length, columns, nameof(matrix));
        for (int i = 0; i < sums.Length; i++)
        {
            double sum = 0;
            foreach (float value in matrix.Slice(i * columns, columns))
            {
                sum += value;
            }

            sums[i] += (float)sum;
        }
    }

    /// <summary>Each row of [rows, columns] logits turned into probabilities: e^(x - max) / sum, in double.</summary>
    public static void SoftmaxRows(ReadOnlySpan<float> logits, int columns, Span<float> probabilities)
    {
        CheckMatrix(probabilities.Length, logits.Length / columns, columns, nameof(probabilities));
        for (int start = 0; start < logits.Length; start += columns)
        {
            ReadOnlySpan<float> row = logits.Slice(start, columns);
            Span<float> output = probabilities.Slice(start, columns);
            float max = row[0];
            for (int c = 1; c < columns; c++)
            {
                max = MathF.Max(max, row[c]);
            }

            double sum = 0;
            for (int c = 0; c < columns; c++)
            {
                sum += Math.Exp(row[c] - max);
            }

            for (int c = 0; c < columns; c++)
            {
                output[c] = (float)(Math.Exp(row[c] - max) / sum);
            }
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
