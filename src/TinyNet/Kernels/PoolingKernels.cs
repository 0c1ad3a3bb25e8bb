namespace TinyNet.Kernels;

/// <summary>
/// Max and average pooling over square windows of NCHW planes, without padding, as PyTorch's
/// MaxPool2d and AvgPool2d with their default padding 0 (windows that would run past the edge
/// are dropped: floor mode).
/// </summary>
internal static class PoolingKernels
{
    /// <summary>
    /// output = each window's largest value (NaN wins, as in PyTorch; the first of equal values),
    /// and argmax = its index within the input plane, for the backward pass.
    /// </summary>
    /// <param name="input">[batch, channels, height, width].</param>
    /// <param name="shape">The geometry (its padding is 0).</param>
    /// <param name="output">[batch, channels, outHeight, outWidth].</param>
    /// <param name="argmax">One index per output value.</param>
    public static void MaxForward(ReadOnlySpan<float> input, in ConvolutionShape shape, Span<float> output, Span<int> argmax)
    {
        int planeSize = shape.Height * shape.Width;
        int planes = shape.Batch * shape.Channels;
        int o = 0;
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<float> x = input.Slice(plane * planeSize, planeSize);
            for (int oy = 0; oy < shape.OutHeight; oy++)
            {
                for (int ox = 0; ox < shape.OutWidth; ox++, o++)
                {
                    int best = (oy * shape.Stride * shape.Width) + (ox * shape.Stride);
                    for (int ky = 0; ky < shape.Kernel; ky++)
                    {
                        int line = ((oy * shape.Stride) + ky) * shape.Width;
                        for (int kx = 0; kx < shape.Kernel; kx++)
                        {
                            int index = line + (ox * shape.Stride) + kx;
                            if (x[index] > x[best] || (float.IsNaN(x[index]) && !float.IsNaN(x[best])))
                            {
                                best = index;
                            }
                        }
                    }

                    output[o] = x[best];
                    argmax[o] = best;
                }
            }
        }
    }

    /// <summary>gradInput = 0, then each output's gradient added at its window's argmax.</summary>
    public static void MaxBackward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<int> argmax, in ConvolutionShape shape, Span<float> gradInput)
    {
        int planeSize = shape.Height * shape.Width;
        int positions = shape.Positions;
        gradInput.Clear();
        for (int o = 0; o < gradOutput.Length; o++)
        {
            gradInput[((o / positions) * planeSize) + argmax[o]] += gradOutput[o];
        }
    }

    /// <summary>output = each window's mean.</summary>
    public static void AverageForward(ReadOnlySpan<float> input, in ConvolutionShape shape, Span<float> output)
    {
        int planeSize = shape.Height * shape.Width;
        int planes = shape.Batch * shape.Channels;
        float scale = 1f / (shape.Kernel * shape.Kernel);
        int o = 0;
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<float> x = input.Slice(plane * planeSize, planeSize);
            for (int oy = 0; oy < shape.OutHeight; oy++)
            {
                for (int ox = 0; ox < shape.OutWidth; ox++, o++)
                {
                    float sum = 0f;
                    for (int ky = 0; ky < shape.Kernel; ky++)
                    {
                        ReadOnlySpan<float> line = x.Slice((((oy * shape.Stride) + ky) * shape.Width) + (ox * shape.Stride), shape.Kernel);
                        for (int kx = 0; kx < shape.Kernel; kx++)
                        {
                            sum += line[kx];
                        }
                    }

                    output[o] = sum * scale;
                }
            }
        }
    }

    /// <summary>gradInput = 0, then each output's gradient, divided by the window's size, added over its window.</summary>
    public static void AverageBackward(ReadOnlySpan<float> gradOutput, in ConvolutionShape shape, Span<float> gradInput)
    {
        int planeSize = shape.Height * shape.Width;
        int planes = shape.Batch * shape.Channels;
        float scale = 1f / (shape.Kernel * shape.Kernel);
        gradInput.Clear();
        int o = 0;
        for (int plane = 0; plane < planes; plane++)
        {
            Span<float> dx = gradInput.Slice(plane * planeSize, planeSize);
            for (int oy = 0; oy < shape.OutHeight; oy++)
            {
                for (int ox = 0; ox < shape.OutWidth; ox++, o++)
                {
                    float share = gradOutput[o] * scale;
                    for (int ky = 0; ky < shape.Kernel; ky++)
                    {
                        Span<float> line = dx.Slice((((oy * shape.Stride) + ky) * shape.Width) + (ox * shape.Stride), shape.Kernel);
                        for (int kx = 0; kx < shape.Kernel; kx++)
                        {
                            line[kx] += share;
                        }
                    }
                }
            }
        }
    }
}
