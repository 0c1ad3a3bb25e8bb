namespace TinyNet.Kernels;

/// <summary>Per-column statistics of row-major matrices, and standardization by them.</summary>
internal static class StatisticsKernels
{
    /// <summary>
    /// The mean and the population standard deviation (divided by rows, as scikit-learn's
    /// StandardScaler) of each column of a [rows, mean.Length] matrix, summed in double
    /// precision in two passes so that a large offset does not swallow a small spread.
    /// </summary>
    public static void ColumnMeanAndDeviation(ReadOnlySpan<float> matrix, int rows, Span<double> mean, Span<double> deviation)
    {
        int columns = mean.Length;
        mean.Clear();
        deviation.Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = matrix.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                mean[c] += row[c];
            }
        }

        for (int c = 0; c < columns; c++)
        {
            mean[c] /= rows;
        }

        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = matrix.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                double d = row[c] - mean[c];
                deviation[c] += d * d;
            }
        }

        for (int c = 0; c < columns; c++)
        {
            deviation[c] = Math.Sqrt(deviation[c] / rows);
        }
    }

    /// <summary>destination[r, c] = (source[r, c] - mean[c]) / scale[c] for [rows, mean.Length] matrices.</summary>
    public static void Standardize(ReadOnlySpan<float> source, ReadOnlySpan<float> mean, ReadOnlySpan<float> scale, Span<float> destination)
    {
        int columns = mean.Length;
        for (int start = 0; start < source.Length; start += columns)
        {
            ReadOnlySpan<float> row = source.Slice(start, columns);
            Span<float> output = destination.Slice(start, columns);
            for (int c = 0; c < columns; c++)
            {
                output[c] = (row[c] - mean[c]) / scale[c];
            }
        }
    }
}
