namespace TinyNet.Benchmarks.Kernels;

/// <summary>One GEMM problem: C [m, n] = op(A) [m, k] * op(B) [k, n], with the transpose flags the layers use.</summary>
public sealed record GemmShape(int M, int N, int K, bool TransposeA = false, bool TransposeB = false, string? Role = null) : IFlopCount
{
    /// <summary>Floating-point operations of one product: a multiply and an add per term.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>Reads as <c>128x784 * 784x512 (A*Bᵀ, forward)</c>, the way the benchmark table shows it.</summary>
    public override string ToString()
    {
        string form = (TransposeA, TransposeB) switch
        {
            (false, false) => "A*B",
            (false, true) => "A*Bt",
            (true, false) => "At*B",
            (true, true) => "At*Bt",
        };
        string role = Role is null ? string.Empty : "," + Role;
        return $"{M}x{K}*{K}x{N}({form}{role})";
    }
}
