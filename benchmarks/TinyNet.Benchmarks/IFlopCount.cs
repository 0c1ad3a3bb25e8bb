namespace TinyNet.Benchmarks;

/// <summary>A benchmark parameter that knows the floating-point operations of one call, for <see cref="FlopsColumn"/>.</summary>
public interface IFlopCount
{
    /// <summary>Floating-point operations of one call (a multiply-add counts two).</summary>
    double Flops { get; }
}
