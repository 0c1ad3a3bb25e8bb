using System.Runtime.CompilerServices;
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
    /// <summary>Rows of the source dealt out to the panels together (see <see cref="PackRows"/>).</summary>
    private const int RowGroup = 8;

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
        if (extentStride == 1)
        {
            PackRows(source, depthStride, extent, depth, panelWidth, destination);
            return;
        }

        for (int start = 0; start < extent; start += panelWidth)
        {
            int width = Math.Min(panelWidth, extent - start);
            PackStrided(source + (start * extentStride), extentStride, depthStride, width, depth, panelWidth, destination);
            destination += depth * panelWidth;
        }
    }

    /// <summary>
    /// The block's elements at one step of k are adjacent in the source (a row of a plain B, a
    /// column of a transposed A): deal the source rows out to the panels 8 rows at a time. Each
    /// panel then receives 8 consecutive steps (whole cache lines, in order) before the next
    /// panel, while the 8 source rows stay in L1. Walking a whole panel at once would jump a
    /// source row per step and miss the TLB on nearly every one; one row at a time would switch
    /// panel, and write stream, every 32 floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackRows(float* source, nint depthStride, int extent, int depth, int panelWidth, float* destination)
    {
        int panelSize = depth * panelWidth;
        int fullPanels = extent / panelWidth;
        int rest = extent - (fullPanels * panelWidth);
        for (int p0 = 0; p0 < depth; p0 += RowGroup)
        {
            int p1 = Math.Min(p0 + RowGroup, depth);
            for (int panel = 0; panel < fullPanels; panel++)
            {
                float* from = source + (p0 * depthStride) + (panel * panelWidth);
                float* to = destination + (panel * panelSize) + (p0 * panelWidth);
                for (int p = p0; p < p1; p++)
                {
                    CopyRun(from, to, panelWidth);
                    from += depthStride;
                    to += panelWidth;
                }
            }

            if (rest > 0)
            {
                float* from = source + (p0 * depthStride) + (fullPanels * panelWidth);
                float* to = destination + (fullPanels * panelSize) + (p0 * panelWidth);
                for (int p = p0; p < p1; p++)
                {
                    CopyRun(from, to, rest);
                    ZeroRun(to + rest, panelWidth - rest);
                    from += depthStride;
                    to += panelWidth;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(float* from, float* to, int count)
    {
        int x = 0;
        for (; x <= count - 8; x += 8)
        {
            Vector256.Store(Vector256.Load(from + x), to + x);
        }

        for (; x < count; x++)
        {
            to[x] = from[x];
        }
    }

    /// <summary>
    /// Zeroes the padding of a partial panel at one step of k: a few floats, written in place
    /// rather than through <see cref="Span{T}.Clear"/>, whose call costs more than the zeroing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ZeroRun(float* to, int count)
    {
        int x = 0;
        for (; x <= count - 8; x += 8)
        {
            Vector256.Store(Vector256<float>.Zero, to + x);
        }

        for (; x < count; x++)
        {
            to[x] = 0f;
        }
    }

    /// <summary>
    /// The panel's elements at one step of k are apart (rows of a row-major A, columns of a
    /// transposed B): a transpose (see <see cref="Transpose"/>) where k is contiguous, else
    /// element by element; then the padding past the last line is zeroed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackStrided(
        float* source, nint extentStride, nint depthStride, int width, int depth, int panelWidth, float* destination)
    {
        if (depthStride == 1)
        {
            Transpose(source, extentStride, width, depth, destination, panelWidth);
        }
        else
        {
            for (int x = 0; x < width; x++)
            {
                CopyLine(source + (x * extentStride), depthStride, 0, depth, panelWidth, destination + x);
            }
        }

        if (width < panelWidth)
        {
            for (int p = 0; p < depth; p++)
            {
                ZeroRun(destination + (p * panelWidth) + width, panelWidth - width);
            }
        }
    }

    /// <summary>
    /// Writes the transpose of <paramref name="lines"/> lines of <paramref name="depth"/>
    /// contiguous floats: element p of line x goes to destination[p * destinationStride + x].
    /// The lines are transposed in blocks of 8 steps (see <see cref="TransposeBlocks"/>); the
    /// steps past the last whole block, and an odd last line, go element by element.
    /// </summary>
    /// <param name="source">Line x starts at source + x * lineStride.</param>
    /// <param name="lineStride">The distance between consecutive lines.</param>
    /// <param name="lines">The lines: the columns of the destination.</param>
    /// <param name="depth">The length of each line: the rows of the destination.</param>
    /// <param name="destination">A depth x lines matrix with row stride <paramref name="destinationStride"/>.</param>
    /// <param name="destinationStride">The distance between the destination's rows, at least <paramref name="lines"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(float* source, nint lineStride, int lines, int depth, float* destination, int destinationStride)
    {
        int x = 0;
        if (Sse.IsSupported)
        {
            x = lines / 2 * 2;
            int p = TransposeBlocks(source, lineStride, x, depth, destinationStride, destination);
            for (int line = 0; line < x; line++)
            {
                CopyLine(source + (line * lineStride), 1, p, depth, destinationStride, destination + line);
            }
        }

        for (; x < lines; x++)
        {
            CopyLine(source + (x * lineStride), 1, 0, depth, destinationStride, destination + x);
        }
    }

    /// <summary>
    /// Transposes the first <paramref name="lines"/> lines (an even number) 8 steps of k at a
    /// time; returns how far along k it got. Each block of 8 steps is written whole, every line
    /// of it, before the next: 8 lines at a time in AVX registers, the next 4 (a 12-row A
    /// panel's) in SSE ones, and a last 2 (a 6-row panel's) in pairs: a second pass over all of
    /// k for the last lines would read A's rows again, which at n = 1024 are 4 KB apart and fall
    /// in one set of L1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int TransposeBlocks(float* source, nint lineStride, int lines, int depth, int destinationStride, float* destination)
    {
        nint half = 4 * lineStride; // line i + 4 is at line i + half.
        int eights = Avx.IsSupported ? lines / 8 * 8 : 0;
        int fours = lines / 4 * 4;
        int p = 0;
        for (; p <= depth - 8 && lines > 0; p += 8)
        {
            float* to = destination + (p * destinationStride);
            int x = 0;
            for (; x < eights; x += 8)
            {
                float* line0 = source + (x * lineStride) + p;
                float* line1 = line0 + lineStride;
                float* line2 = line0 + (2 * lineStride);
                float* line3 = line0 + (3 * lineStride);
                TransposeHalf(line0, line1, line2, line3, half, destinationStride, to + x);
                TransposeHalf(line0 + 4, line1 + 4, line2 + 4, line3 + 4, half, destinationStride, to + x + (4 * destinationStride));
            }

            for (; x < fours; x += 4)
            {
                float* line0 = source + (x * lineStride) + p;
                float* line1 = line0 + lineStride;
                float* line2 = line0 + (2 * lineStride);
                float* line3 = line0 + (3 * lineStride);
                TransposeFour(line0, line1, line2, line3, destinationStride, to + x);
                TransposeFour(line0 + 4, line1 + 4, line2 + 4, line3 + 4, destinationStride, to + x + (4 * destinationStride));
            }

            if (x < lines)
            {
                float* line0 = source + (x * lineStride) + p;
                float* line1 = line0 + lineStride;
                TransposeTwo(line0, line1, destinationStride, to + x);
                TransposeTwo(line0 + 4, line1 + 4, destinationStride, to + x + (4 * destinationStride));
            }
        }

        return p;
    }

    /// <summary>Four steps of k for eight lines: lines a..d at the given pointers, e..h at +half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeHalf(float* a, float* b, float* c, float* d, nint half, int destinationStride, float* destination)
    {
        Vector256<float> ae = Avx.InsertVector128(Sse.LoadVector128(a).ToVector256Unsafe(), Sse.LoadVector128(a + half), 1);
        Vector256<float> bf = Avx.InsertVector128(Sse.LoadVector128(b).ToVector256Unsafe(), Sse.LoadVector128(b + half), 1);
        Vector256<float> cg = Avx.InsertVector128(Sse.LoadVector128(c).ToVector256Unsafe(), Sse.LoadVector128(c + half), 1);
        Vector256<float> dh = Avx.InsertVector128(Sse.LoadVector128(d).ToVector256Unsafe(), Sse.LoadVector128(d + half), 1);
        Vector256<float> low01 = Avx.UnpackLow(ae, bf);   // a0 b0 a1 b1 | e0 f0 e1 f1
        Vector256<float> high01 = Avx.UnpackHigh(ae, bf); // a2 b2 a3 b3 | e2 f2 e3 f3
        Vector256<float> low23 = Avx.UnpackLow(cg, dh);   // c0 d0 c1 d1 | g0 h0 g1 h1
        Vector256<float> high23 = Avx.UnpackHigh(cg, dh); // c2 d2 c3 d3 | g2 h2 g3 h3
        Avx.Store(destination, Avx.Shuffle(low01, low23, 0x44));                        // a0 b0 c0 d0 e0 f0 g0 h0
        Avx.Store(destination + destinationStride, Avx.Shuffle(low01, low23, 0xEE));           // a1 .. h1
        Avx.Store(destination + (2 * destinationStride), Avx.Shuffle(high01, high23, 0x44));   // a2 .. h2
        Avx.Store(destination + (3 * destinationStride), Avx.Shuffle(high01, high23, 0xEE));   // a3 .. h3
    }

    /// <summary>Four steps of k for four lines (a 4 x 4 transpose in SSE registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeFour(float* a, float* b, float* c, float* d, int destinationStride, float* destination)
    {
        Vector128<float> v0 = Sse.LoadVector128(a);         // a0 a1 a2 a3
        Vector128<float> v1 = Sse.LoadVector128(b);         // b0 b1 b2 b3
        Vector128<float> v2 = Sse.LoadVector128(c);         // c0 c1 c2 c3
        Vector128<float> v3 = Sse.LoadVector128(d);         // d0 d1 d2 d3
        Vector128<float> low01 = Sse.UnpackLow(v0, v1);     // a0 b0 a1 b1
        Vector128<float> low23 = Sse.UnpackLow(v2, v3);     // c0 d0 c1 d1
        Vector128<float> high01 = Sse.UnpackHigh(v0, v1);   // a2 b2 a3 b3
        Vector128<float> high23 = Sse.UnpackHigh(v2, v3);   // c2 d2 c3 d3
        Sse.Store(destination, Sse.MoveLowToHigh(low01, low23));                       // a0 b0 c0 d0
        Sse.Store(destination + destinationStride, Sse.MoveHighToLow(low23, low01));          // a1 b1 c1 d1
        Sse.Store(destination + (2 * destinationStride), Sse.MoveLowToHigh(high01, high23));  // a2 b2 c2 d2
        Sse.Store(destination + (3 * destinationStride), Sse.MoveHighToLow(high23, high01));  // a3 b3 c3 d3
    }

    /// <summary>Four steps of k for two lines: the pairs of a 4 x 2 transpose, each written as 64 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeTwo(float* a, float* b, int destinationStride, float* destination)
    {
        Vector128<float> v0 = Sse.LoadVector128(a);      // a0 a1 a2 a3
        Vector128<float> v1 = Sse.LoadVector128(b);      // b0 b1 b2 b3
        Vector128<float> low = Sse.UnpackLow(v0, v1);    // a0 b0 a1 b1
        Vector128<float> high = Sse.UnpackHigh(v0, v1);  // a2 b2 a3 b3
        Sse.StoreLow(destination, low);
        Sse.StoreHigh(destination + destinationStride, low);
        Sse.StoreLow(destination + (2 * destinationStride), high);
        Sse.StoreHigh(destination + (3 * destinationStride), high);
    }

    /// <summary>Copies elements [from, depth) of one line along k into the panel's column.</summary>
    private static void CopyLine(float* line, nint depthStride, int from, int depth, int destinationStride, float* destination)
    {
        for (int p = from; p < depth; p++)
        {
            destination[p * destinationStride] = line[p * depthStride];
        }
    }
}
