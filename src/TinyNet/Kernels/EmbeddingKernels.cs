namespace TinyNet.Kernels;

/// <summary>Row lookups of an embedding table, and their adjoint.</summary>
internal static class EmbeddingKernels
{
    /// <summary>The position of the first index that is not a whole number in [0, count), or -1.</summary>
    public static int FirstInvalidIndex(ReadOnlySpan<float> indices, int count)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            float index = indices[i];
            if (!(index >= 0f && index < count && index == MathF.Floor(index)))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>output[i, :] = table[indices[i], :] for [count, dimension] tables; the indices are checked already.</summary>
    public static void Gather(ReadOnlySpan<float> table, ReadOnlySpan<float> indices, int dimension, Span<float> output)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            table.Slice((int)indices[i] * dimension, dimension).CopyTo(output.Slice(i * dimension, dimension));
        }
    }

    /// <summary>gradTable[indices[i], :] += gradOutput[i, :], in increasing i, so repeated indices always sum in one order.</summary>
    public static void ScatterAdd(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> indices, int dimension, Span<float> gradTable)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            Span<float> row = gradTable.Slice((int)indices[i] * dimension, dimension);
            Elementwise.Map(default(AddOperator), row, gradOutput.Slice(i * dimension, dimension), row);
        }
    }
}
