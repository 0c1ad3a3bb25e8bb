namespace TinyNet.Kernels;

/// <summary>
/// A piece of kernel work cut into independent parts, run by <see cref="KernelThreadPool"/>.
/// Kernels keep one instance per thread and refill its fields per call, so handing work to the
/// pool allocates nothing.
/// </summary>
internal abstract class ParallelWork
{
    /// <summary>
    /// Runs part <paramref name="index"/>, on any thread. Parts start in increasing order but
    /// run side by side; a part may wait only for parts with lower numbers.
    /// </summary>
    public abstract void Execute(int index);
}
