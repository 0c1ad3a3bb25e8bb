using TinyNet.Kernels;

namespace TinyNet.Tests.Kernels;

[TestFixture]
public sealed class KernelThreadPoolTests
{
    [Test]
    public void Back_to_back_jobs_run_every_part_exactly_once()
    {
        // Tiny parts, each job started the moment the last one ends: a helper is often still
        // inside the last job while the next one is set up, which is when a stale claim could
        // run a part of the new job twice (and leave the caller waiting forever).
        const int Jobs = 200_000;
        var works = new CountingWork[Jobs];
        for (int i = 0; i < Jobs; i++)
        {
            works[i] = new CountingWork();
            works[i].Reset(2 + (i % 3));
        }

        var run = Task.Run(() =>
        {
            foreach (CountingWork work in works)
            {
                KernelThreadPool.Run(work, work.Counts().Length, maxThreads: 4);
            }
        });
        Assert.That(run.Wait(TimeSpan.FromSeconds(60)), Is.True, "a job never finished");
        for (int i = 0; i < Jobs; i++)
        {
            Assert.That(works[i].Counts(), Is.All.EqualTo(1), $"job {i}: each part must run once");
        }
    }

    [Test]
    public void A_kernel_called_from_inside_a_part_runs_on_its_own_thread()
    {
        // Each part runs a whole job of its own; the nested jobs must run on their callers'
        // threads, not take over the pool while the outer job holds it.
        var inner = new CountingWork();
        inner.Reset(1);
        var outer = new NestingWork(inner);
        outer.Reset(4);
        var run = Task.Run(() => KernelThreadPool.Run(outer, 4, maxThreads: 4));
        Assert.That(run.Wait(TimeSpan.FromSeconds(30)), Is.True, "the outer job never finished");
        Assert.That(outer.Counts(), Is.All.EqualTo(1));
        Assert.That(inner.Total, Is.EqualTo(4 * 3), "every nested job ran all of its parts");
    }

    private class CountingWork : ParallelWork
    {
        private int[] _counts = [];
        private int _total;

        public int Total => Volatile.Read(ref _total);

        public void Reset(int parts) => _counts = new int[parts];

        public int[] Counts() => _counts;

        public override void Execute(int index)
        {
            Interlocked.Increment(ref _counts[index]);
            Interlocked.Increment(ref _total);
        }
    }

    private sealed class NestingWork(CountingWork inner) : CountingWork
    {
        public override void Execute(int index)
        {
            base.Execute(index);
            var local = new CountingWork();
            local.Reset(3);
            KernelThreadPool.Run(local, 3, maxThreads: 4);
            for (int i = 0; i < 3; i++)
            {
                Assert.That(local.Counts()[i], Is.EqualTo(1));
                inner.Execute(0);
            }
        }
    }
}
