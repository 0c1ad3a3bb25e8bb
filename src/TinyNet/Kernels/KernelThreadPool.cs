using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace TinyNet.Kernels;

/// <summary>
/// The threads that kernel calls share. The calling thread always takes part; helper threads
/// are created on first need, spin for a few milliseconds after each job (kernel calls come in
/// quick succession during training), then sleep until woken. One call uses the pool at a time:
/// a call that finds it busy (another thread's call, or a kernel called from inside a kernel)
/// runs its parts on its own thread, which gives the same results.
/// </summary>
/// <remarks>
/// Parts are claimed from one 64-bit word holding (job number, next part), so a helper that
/// wakes late can never claim a part of a later job: its claim names the job it woke for. A new
/// job first closes that word under its own number, then sets its fields, then opens it, so a
/// helper still finishing the last job cannot read the new job's fields with the old number.
/// The caller waits for its parts to finish, not for helpers to wake.
/// </remarks>
internal static class KernelThreadPool
{
    /// <summary>The low half of <see cref="s_claims"/> while a job is being set up: nothing can be claimed.</summary>
    private const int Closed = int.MaxValue;
    private static readonly List<Helper> s_helpers = [];
    private static readonly long s_spinTicks = Stopwatch.Frequency / 200; // 5 ms.

    private static int s_busy; // 1 while a call runs its job on the pool (not a lock: a nested call must not enter).
    private static ParallelWork? s_work;
    private static int s_partCount;
    private static int s_wantedHelpers;
    private static int s_unfinishedParts;
    private static long s_claims; // (job number << 32) | next unclaimed part.
    private static ExceptionDispatchInfo? s_failure;

    /// <summary>
    /// Runs parts 0..<paramref name="partCount"/>-1 of <paramref name="work"/> on up to
    /// <paramref name="maxThreads"/> threads and returns when all are done. Parts are claimed
    /// in increasing order, so a part may wait for one with a lower number: that one is done or
    /// running. An exception in a part is rethrown here after every part has finished or been
    /// skipped.
    /// </summary>
    public static void Run(ParallelWork work, int partCount, int maxThreads)
    {
        int threads = Math.Min(partCount, maxThreads);
        if (threads <= 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int i = 0; i < partCount; i++)
            {
                work.Execute(i);
            }

            return;
        }

        try
        {
            int helpers = threads - 1;
            while (s_helpers.Count < helpers)
            {
                s_helpers.Add(new Helper(s_helpers.Count));
            }

            // Close the claims under the new job number before touching the job's fields: a
            // helper still inside the last job can then no longer claim anything (its claim names
            // the old number), and nobody claims a part of this job before it is set up.
            long job = (Volatile.Read(ref s_claims) >> 32) + 1;
            Interlocked.Exchange(ref s_claims, (job << 32) | Closed);
            s_work = work;
            s_partCount = partCount;
            s_failure = null;
            s_wantedHelpers = helpers;
            Volatile.Write(ref s_unfinishedParts, partCount);
            Interlocked.Exchange(ref s_claims, job << 32); // Opens the job to spinning helpers.
            for (int i = 0; i < helpers; i++)
            {
                s_helpers[i].Wake();
            }

            TakeParts(job);

            var spinner = default(SpinWait);
            while (Volatile.Read(ref s_unfinishedParts) != 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            s_work = null;
            s_failure?.Throw();
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    /// <summary>Claims and runs parts of job <paramref name="job"/> until none are left or another job began.</summary>
    private static void TakeParts(long job)
    {
        while (true)
        {
            long claims = Volatile.Read(ref s_claims);
            int part = (int)claims;
            if (claims >> 32 != job)
            {
                return;
            }

            if (part == Closed)
            {
                Thread.SpinWait(1); // The job is being set up; it opens in a moment.
                continue;
            }

            if (part >= s_partCount)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref s_claims, claims + 1, claims) != claims)
            {
                continue;
            }

            // The claim succeeded, so this job is still running and s_work is its work.
            try
            {
                s_work!.Execute(part);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref s_failure, ExceptionDispatchInfo.Capture(exception), null);
            }
            finally
            {
                Interlocked.Decrement(ref s_unfinishedParts);
            }
        }
    }

    /// <summary>One helper thread: waits for a new job, takes parts if it is wanted, repeats.</summary>
    private sealed class Helper
    {
        private readonly int _index;
        private readonly SemaphoreSlim _wake = new(0);
        private int _sleeping;

        public Helper(int index)
        {
            _index = index;
            var thread = new Thread(Loop, maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                Name = $"TinyNet kernel {index + 1}",
            };
            thread.Start();
        }

        /// <summary>Called by the dispatcher after it published a new job.</summary>
        public void Wake()
        {
            if (Interlocked.Exchange(ref _sleeping, 0) == 1)
            {
                _wake.Release();
            }
        }

        private void Loop()
        {
            long seen = 0;
            while (true)
            {
                seen = WaitForJob(seen);

                // The job may still be being set up; how many helpers it wants is known once it opens.
                while (Volatile.Read(ref s_claims) == ((seen << 32) | Closed))
                {
                    Thread.SpinWait(1);
                }

                if (_index < Volatile.Read(ref s_wantedHelpers))
                {
                    TakeParts(seen);
                }
            }
        }

        private long WaitForJob(long seen)
        {
            // Spin first: during training the next kernel call is usually microseconds away.
            long deadline = Stopwatch.GetTimestamp() + s_spinTicks;
            long job;
            while ((job = Volatile.Read(ref s_claims) >> 32) == seen)
            {
                if (Stopwatch.GetTimestamp() < deadline)
                {
                    Thread.SpinWait(8);
                    continue;
                }

                // Announce sleep, then look once more: either this sees the new job, or the
                // dispatcher sees _sleeping == 1 and releases the semaphore.
                Interlocked.Exchange(ref _sleeping, 1);
                if (Volatile.Read(ref s_claims) >> 32 != seen)
                {
                    if (Interlocked.Exchange(ref _sleeping, 0) == 0)
                    {
                        _wake.Wait(); // The dispatcher took the flag and released: consume it.
                    }

                    continue;
                }

                _wake.Wait();
                deadline = Stopwatch.GetTimestamp() + s_spinTicks;
            }

            return job;
        }
    }
}
