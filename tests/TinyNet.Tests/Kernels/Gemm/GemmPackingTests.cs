using TinyNet.Kernels;

namespace TinyNet.Tests.Kernels;

[TestFixture]
public sealed unsafe class GemmPackingTests
{
    [Test]
    public void Transpose_writes_every_line_down_a_column_and_nothing_else()
    {
        // Every count of lines the blocks take in eights, fours, pairs and one by one (1 to 19),
        // depths on and off the blocks of 8 steps, and a destination wider than the lines, whose
        // columns past them must stay as they were.
        foreach (int lines in Enumerable.Range(1, 19))
        {
            foreach (int depth in new[] { 1, 7, 8, 9, 16, 23, 64 })
            {
                const int Padding = 3;
                int lineStride = depth + 5;
                int destinationStride = lines + Padding;
                float[] source = GemmOracle.Random(lines * lineStride, lines + depth);
                float[] destination = Enumerable.Repeat(-9f, depth * destinationStride).ToArray();
                fixed (float* from = source)
                fixed (float* to = destination)
                {
                    GemmPacking.Transpose(from, lineStride, lines, depth, to, destinationStride);
                }

                for (int p = 0; p < depth; p++)
                {
                    for (int x = 0; x < destinationStride; x++)
                    {
                        float expected = x < lines ? source[(x * lineStride) + p] : -9f;
                        Assert.That(destination[(p * destinationStride) + x], Is.EqualTo(expected), $"{lines} lines, depth {depth}: step {p}, column {x}");
                    }
                }
            }
        }
    }
}
