namespace TinyNet.Kernels;

/// <summary>
/// The plain GEMM: three loops, one multiply-add at a time. It stays forever as the oracle that
/// every fast variant is tested against; never tuned.
/// </summary>
internal static unsafe class GemmReference
{
    /// <summary>C = alpha * op(A) * op(B) + beta * C, element by element.</summary>
    public static void Multiply(in GemmArguments args)
    {
        for (int i = 0; i < args.M; i++)
        {
            for (int j = 0; j < args.N; j++)
            {
                float sum = 0f;
                for (int p = 0; p < args.K; p++)
                {
                    sum += args.A[(i * args.RowStrideA) + (p * args.ColumnStrideA)]
                        * args.B[(p * args.RowStrideB) + (j * args.ColumnStrideB)];
                }

                float* c = args.C + (i * args.Ldc) + j;
                *c = args.Beta == 0f ? args.Alpha * sum : (args.Alpha * sum) + (args.Beta * *c);
            }
        }
    }
}
