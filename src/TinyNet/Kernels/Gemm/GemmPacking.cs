using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyNet.Kernels;

/// <summary>
/// Copies a block of A or B into the zero-padded micro-panels the micro-kernel reads. One
/// routine serves both: a block is <c>extent</c> rows (of A) or columns (of B), each
/// <c>depth</c> long along k, cut into panels of <c>panelWidth</c>; inside a panel the
/// elements are stored k-major, so the kernel reads them with unit stride.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs an extent x depth block into micro-panels.</summary>
    /// <param name="source">Element (x, p) of the block is at source[x * extentStride + p * depthStride].</param>
    /// <param name="extentStride">The distance between consecutive rows of A (or columns of B).</param>
    /// <param name="depthStride">The distance between consecutive elements along k.</param>
    /// <param name="extent">The rows of A (or columns of B) in the block.</param>
    /// <param name="depth">kc: the length of the block along k.</param>
    /// <param name="panelWidth">MR for A, NR for B.</param>
    /// <param name="destination">
    /// ceil(extent / panelWidth) panels of depth * panelWidth floats; element (x, p) goes to
    /// panel x / panelWidth at [p * panelWidth + x % panelWidth]. Rows past extent are zeros.
    /// </param>
    public static void Pack(
        float* source, nint extentStride, nint depthStride, int extent, int depth, int panelWidth, float* destination)
    {
        for (int start = 0; start < extent; start += panelWidth)
        {
            int width = Math.Min(panelWidth, extent - start);
            float* panelSource = source + (start * extentStride);
            if (extentStride == 1)
            {
                PackContiguous(panelSource, depthStride, width, depth, panelWidth, destination);
            }
            else
            {
                PackStrided(panelSource, extentStride, depthStride, width, depth, panelWidth, destination);
            }

            destination += depth * panelWidth;
        }
    }

    /// <summary>The panel's elements at one step of k are adjacent in the source: copy runs of <paramref name="width"/>.</summary>
    private static void PackContiguous(float* source, nint depthStride, int width, int depth, int panelWidth, float* destination)
    {
        for (int p = 0; p < depth; p++)
        {
            float* from = source + (p * depthStride);
            float* to = destination + (p * panelWidth);
            int x = 0;
            for (; x <= width - 4; x += 4)
            {
                Vector128.Store(Vector128.Load(from + x), to + x);
            }

            for (; x < width; x++)
            {
                to[x] = from[x];
            }

            for (; x < panelWidth; x++)
            {
                to[x] = 0f;
            }
        }
    }

    /// <summary>
    /// The panel's elements at one step of k are apart (rows of a row-major A, columns of a
    /// transposed B): a transpose. Where k is contiguous, 4 x 4 blocks are transposed in SSE
    /// registers; the rest goes element by element.
    /// </summary>
    private static void PackStrided(
        float* source, nint extentStride, nint depthStride, int width, int depth, int panelWidth, float* destination)
    {
        int x = 0;
        if (Sse.IsSupported && depthStride == 1 && panelWidth % 4 == 0)
        {
            for (; x <= width - 4; x += 4)
            {
                int p = TransposeFours(source + (x * extentStride), extentStride, depth, panelWidth, destination + x);
                for (int row = x; row < x + 4; row++)
                {
                    CopyLine(source + (row * extentStride), depthStride, p, depth, panelWidth, destination + row);
                }
            }
        }

        for (; x < width; x++)
        {
            CopyLine(source + (x * extentStride), depthStride, 0, depth, panelWidth, destination + x);
        }

        for (; x < panelWidth; x++)
        {
            for (int p = 0; p < depth; p++)
            {
                destination[(p * panelWidth) + x] = 0f;
            }
        }
    }

    /// <summary>Transposes four contiguous lines 4 x 4 at a time; returns how far along k it got.</summary>
    private static int TransposeFours(float* source, nint lineStride, int depth, int panelWidth, float* destination)
    {
        float* line0 = source;
        float* line1 = source + lineStride;
        float* line2 = source + (2 * lineStride);
        float* line3 = source + (3 * lineStride);
        int p = 0;
        for (; p <= depth - 4; p += 4)
        {
            Vector128<float> v0 = Sse.LoadVector128(line0 + p); // a0 a1 a2 a3
            Vector128<float> v1 = Sse.LoadVector128(line1 + p); // b0 b1 b2 b3
            Vector128<float> v2 = Sse.LoadVector128(line2 + p); // c0 c1 c2 c3
            Vector128<float> v3 = Sse.LoadVector128(line3 + p); // d0 d1 d2 d3
            Vector128<float> low01 = Sse.UnpackLow(v0, v1);    // a0 b0 a1 b1
            Vector128<float> low23 = Sse.UnpackLow(v2, v3);    // c0 d0 c1 d1
            Vector128<float> high01 = Sse.UnpackHigh(v0, v1);  // a2 b2 a3 b3
            Vector128<float> high23 = Sse.UnpackHigh(v2, v3);  // c2 d2 c3 d3
            float* to = destination + (p * panelWidth);
            Sse.Store(to, Sse.MoveLowToHigh(low01, low23));                       // a0 b0 c0 d0
            Sse.Store(to + panelWidth, Sse.MoveHighToLow(low23, low01));          // a1 b1 c1 d1
            Sse.Store(to + (2 * panelWidth), Sse.MoveLowToHigh(high01, high23));  // a2 b2 c2 d2
            Sse.Store(to + (3 * panelWidth), Sse.MoveHighToLow(high23, high01));  // a3 b3 c3 d3
        }

        return p;
    }

    /// <summary>Copies elements [from, depth) of one line along k into the panel's column.</summary>
    private static void CopyLine(float* line, nint depthStride, int from, int depth, int panelWidth, float* destination)
    {
        for (int p = from; p < depth; p++)
        {
            destination[p * panelWidth] = line[p * depthStride];
        }
    }
}
