using System.Runtime.InteropServices;

namespace TinyNet.Distributed;

/// <summary>
/// The few functions of Open MPI's C library that data-parallel training needs, bound at run
/// time. libmpi is opened with RTLD_GLOBAL, because Open MPI loads its components as plugins
/// that resolve libmpi's symbols from the global namespace. Open MPI's handles (MPI_COMM_WORLD,
/// MPI_FLOAT, ...) are the addresses of its global objects (ompi_mpi_comm_world, ...), so they
/// are looked up as symbols, not hard-coded as integers (MPICH's convention).
/// </summary>
internal static unsafe class MpiLibrary
{
    private const int RtldNow = 2;
    private const int RtldGlobal = 0x100;
    private static readonly Lazy<IntPtr> s_library = new(Open);

    /// <summary>The library's names to try, newest ABI first.</summary>
    private static readonly string[] s_names = ["libmpi.so.40", "libmpi.so"];

    public static bool IsAvailable
    {
        get
        {
            try
            {
                return s_library.Value != IntPtr.Zero;
            }
            catch (DllNotFoundException)
            {
                return false;
            }
        }
    }

    public static IntPtr CommWorld => Symbol("ompi_mpi_comm_world");

    public static IntPtr Float => Symbol("ompi_mpi_float");

    public static IntPtr Double => Symbol("ompi_mpi_double");

    public static int Init() => ((delegate* unmanaged<int*, byte***, int>)Function("MPI_Init"))(null, null);

    public static int Initialized(out int flag)
    {
        int value;
        int result = ((delegate* unmanaged<int*, int>)Function("MPI_Initialized"))(&value);
        flag = value;
        return result;
    }

    public static int Finalize() => ((delegate* unmanaged<int>)Function("MPI_Finalize"))();

    public static int CommRank(IntPtr comm, out int rank)
    {
        int value;
        int result = ((delegate* unmanaged<IntPtr, int*, int>)Function("MPI_Comm_rank"))(comm, &value);
        rank = value;
        return result;
    }

    public static int CommSize(IntPtr comm, out int size)
    {
        int value;
        int result = ((delegate* unmanaged<IntPtr, int*, int>)Function("MPI_Comm_size"))(comm, &value);
        size = value;
        return result;
    }

    public static int Gather(void* send, int sendCount, IntPtr sendType, void* receive, int receiveCount, IntPtr receiveType, int root, IntPtr comm) =>
        ((delegate* unmanaged<void*, int, IntPtr, void*, int, IntPtr, int, IntPtr, int>)Function("MPI_Gather"))(send, sendCount, sendType, receive, receiveCount, receiveType, root, comm);

    public static int Bcast(void* buffer, int count, IntPtr type, int root, IntPtr comm) =>
        ((delegate* unmanaged<void*, int, IntPtr, int, IntPtr, int>)Function("MPI_Bcast"))(buffer, count, type, root, comm);

    public static int Barrier(IntPtr comm) => ((delegate* unmanaged<IntPtr, int>)Function("MPI_Barrier"))(comm);

    public static int Abort(IntPtr comm, int code) => ((delegate* unmanaged<IntPtr, int, int>)Function("MPI_Abort"))(comm, code);

    private static IntPtr Function(string name) => Symbol(name);

    private static IntPtr Symbol(string name)
    {
        IntPtr address = dlsym(s_library.Value, name);
        return address != IntPtr.Zero ? address : throw new EntryPointNotFoundException($"libmpi has no symbol '{name}': TinyNet.Distributed needs Open MPI 4 or later.");
    }

    private static IntPtr Open()
    {
        foreach (string name in s_names)
        {
            IntPtr handle = dlopen(name, RtldNow | RtldGlobal);
            if (handle != IntPtr.Zero)
            {
                return handle;
            }
        }

        throw new DllNotFoundException(
            "Open MPI's libmpi (libmpi.so.40) was not found; on Debian or Ubuntu: apt-get install openmpi-bin libopenmpi-dev.");
    }

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern IntPtr dlopen([MarshalAs(UnmanagedType.LPUTF8Str)] string file, int mode);

    [DllImport("libc", EntryPoint = "dlsym")]
    private static extern IntPtr dlsym(IntPtr handle, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
