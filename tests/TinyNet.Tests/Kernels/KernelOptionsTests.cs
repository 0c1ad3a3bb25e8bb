using TinyNet.Kernels;

namespace TinyNet.Tests.Kernels;

[TestFixture]
[NonParallelizable]
public sealed class KernelOptionsTests
{
    [Test]
    public void The_degree_of_parallelism_is_settable_and_must_be_at_least_one()
    {
        int original = KernelOptions.MaxDegreeOfParallelism;
        try
        {
            Assert.That(original, Is.GreaterThanOrEqualTo(1));
            KernelOptions.MaxDegreeOfParallelism = 3;
            Assert.That(KernelOptions.MaxDegreeOfParallelism, Is.EqualTo(3));
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => KernelOptions.MaxDegreeOfParallelism = 0);
            Assert.That(ex!.ParamName, Is.EqualTo("value"));
            Assert.That(KernelOptions.MaxDegreeOfParallelism, Is.EqualTo(3), "a rejected value changes nothing");
        }
        finally
        {
            KernelOptions.MaxDegreeOfParallelism = original;
        }
    }
}
