using System.Globalization;
using TinyNet.Training;

namespace TinyNet.Distributed;

/// <summary>
/// The processes that <c>mpirun</c> started (MPI_COMM_WORLD), as a <see cref="DataParallelGroup"/>
/// for <see cref="TrainerOptions.DataParallel"/>. Sums gather every rank's values at rank 0, which
/// adds them in rank order and broadcasts the result, so every rank gets the same bits whatever
/// the timing (an MPI all-reduce may add in any order). Create one per process, after nothing
/// else has initialized MPI, and dispose of it at the end (MPI_Finalize).
/// </summary>
public sealed unsafe class MpiGroup : DataParallelGroup, IDisposable
{
    private readonly IntPtr _world;
    private readonly IntPtr _float;
    private readonly IntPtr _double;
    private float[] _gatheredFloats = [];
    private double[] _gatheredDoubles = [];
    private float[] _sendFloats = [];
    private bool _disposed;

    /// <summary>Initializes MPI (MPI_Init) and reads this process's rank and the world's size.</summary>
    /// <exception cref="DllNotFoundException">Open MPI's libmpi is not installed.</exception>
    public MpiGroup()
    {
        Check(MpiLibrary.Initialized(out int initialized), "MPI_Initialized");
        if (initialized == 0)
        {
            Check(MpiLibrary.Init(), "MPI_Init");
        }

        _world = MpiLibrary.CommWorld;
        _float = MpiLibrary.Float;
        _double = MpiLibrary.Double;
        Check(MpiLibrary.CommRank(_world, out int rank), "MPI_Comm_rank");
        Check(MpiLibrary.CommSize(_world, out int size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
    }

    /// <summary>True when Open MPI's libmpi can be loaded on this machine.</summary>
    public static bool IsAvailable => MpiLibrary.IsAvailable;

    /// <summary>True when this process was started by <c>mpirun</c> (Open MPI sets OMPI_COMM_WORLD_SIZE).</summary>
    public static bool IsLaunchedByMpirun => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null;

    /// <inheritdoc/>
    public override int Rank { get; }

    /// <inheritdoc/>
    public override int Size { get; }

    /// <inheritdoc/>
    public override void SumInRankOrder(Span<float> values, bool contributes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Each rank sends its values and, last, a flag: 1 when they count.
        int length = values.Length + 1;
        if (_sendFloats.Length < length)
        {
            _sendFloats = new float[length];
        }

        values.CopyTo(_sendFloats);
        _sendFloats[values.Length] = contributes ? 1f : 0f;
        if (Rank == 0 && _gatheredFloats.Length < length * Size)
        {
            _gatheredFloats = new float[length * Size];
        }

        fixed (float* send = _sendFloats)
        fixed (float* gathered = _gatheredFloats)
        {
            Check(MpiLibrary.Gather(send, length, _float, gathered, length, _float, 0, _world), "MPI_Gather");
            if (Rank == 0)
            {
                values.Clear();
                bool first = true;
                for (int r = 0; r < Size; r++)
                {
                    ReadOnlySpan<float> part = _gatheredFloats.AsSpan(r * length, length);
                    if (part[values.Length] == 0f)
                    {
                        continue;
                    }

                    if (first)
                    {
                        part[..values.Length].CopyTo(values);
                        first = false;
                        continue;
                    }

                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] += part[i];
                    }
                }
            }

            fixed (float* result = values)
            {
                Check(MpiLibrary.Bcast(result, values.Length, _float, 0, _world), "MPI_Bcast");
            }
        }
    }

    /// <inheritdoc/>
    public override void SumInRankOrder(Span<double> values)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Rank == 0 && _gatheredDoubles.Length < values.Length * Size)
        {
            _gatheredDoubles = new double[values.Length * Size];
        }

        fixed (double* own = values)
        fixed (double* gathered = _gatheredDoubles)
        {
            Check(MpiLibrary.Gather(own, values.Length, _double, gathered, values.Length, _double, 0, _world), "MPI_Gather");
            if (Rank == 0)
            {
                for (int r = 1; r < Size; r++)
                {
                    ReadOnlySpan<double> part = _gatheredDoubles.AsSpan(r * values.Length, values.Length);
                    for (int i = 0; i < values.Length; i++)
                    {
                        values[i] += part[i];
                    }
                }
            }

            Check(MpiLibrary.Bcast(own, values.Length, _double, 0, _world), "MPI_Bcast");
        }
    }

    /// <summary>
    /// Ends every process of the run (MPI_Abort): what a rank that cannot go on calls, so that the
    /// others fail at once instead of waiting in a collective for it forever.
    /// </summary>
    /// <param name="reason">Why, printed to standard error.</param>
    /// <param name="exitCode">The exit code mpirun reports.</param>
    public void Abort(string reason, int exitCode = 1)
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rank {Rank} of {Size}: {reason}; aborting every rank."));
        Console.Error.Flush();
        MpiLibrary.Abort(_world, exitCode);
    }

    /// <summary>Waits for every rank (MPI_Barrier).</summary>
    public void Barrier() => Check(MpiLibrary.Barrier(_world), "MPI_Barrier");

    /// <summary>Finalizes MPI (MPI_Finalize).</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            MpiLibrary.Finalize();
        }
    }

    private static void Check(int result, string function)
    {
        if (result != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{function} failed with MPI error code {result}."));
        }
    }
}
