namespace TinyNet.Kernels;

/// <summary>
/// A piece of kernel work cut into independent parts, run by <see cref="KernelThreadPool"/>.
/// Kernels keep one instance per thread and refill its fields per call, so handing work to the
/// pool allocates nothing.
/// </summary>
internal abstract class ParallelWork
{
    /// <summary>Runs part <paramref name="index"/>; parts may run in any order, on any thread.</summary>
    public abstract void Execute(int index);
}
