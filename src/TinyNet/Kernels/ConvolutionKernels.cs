namespace TinyNet.Kernels;

/// <summary>
/// The data movement around a convolution computed as one matrix product: patches of the images
/// laid out as rows (im2col, one row per output pixel), and the transposes between a product's
/// [batch * positions, channels] rows and NCHW channels. Each image is its own part on the kernel
/// threads, and every output float is written by one part in a fixed order, so the results are
/// the same on any thread count.
/// </summary>
internal static unsafe class ConvolutionKernels
{
    /// <summary>
    /// rows[(n * positions) + (oy * outWidth) + ox, (c * kernel + ky) * kernel + kx] = the input
    /// pixel (n, c, oy * stride - padding + ky, ox * stride - padding + kx), or 0 in the padding.
    /// </summary>
    /// <param name="images">[batch, channels, height, width].</param>
    /// <param name="shape">The geometry.</param>
    /// <param name="rows">[batch * positions, patchSize], overwritten.</param>
    public static void ImagesToRows(ReadOnlySpan<float> images, in ConvolutionShape shape, Span<float> rows)
    {
        fixed (float* source = images)
        fixed (float* destination = rows)
        {
            Run(new ImagesToRowsPart(source, destination, shape), shape.Batch);
        }
    }

    /// <summary>
    /// The adjoint of <see cref="ImagesToRows"/>: every row's floats added back onto the input
    /// pixels they were copied from (padding dropped), into images that are cleared first.
    /// </summary>
    /// <param name="rows">[batch * positions, patchSize].</param>
    /// <param name="shape">The geometry.</param>
    /// <param name="images">[batch, channels, height, width], overwritten.</param>
    public static void RowsToImages(ReadOnlySpan<float> rows, in ConvolutionShape shape, Span<float> images)
    {
        fixed (float* source = rows)
        fixed (float* destination = images)
        {
            Run(new RowsToImagesPart(source, destination, shape), shape.Batch);
        }
    }

    /// <summary>
    /// output[n, c, p] = rows[n * positions + p, c] + bias[c] (bias empty: no bias): the product's
    /// rows back into NCHW order.
    /// </summary>
    public static void RowsToChannels(ReadOnlySpan<float> rows, ReadOnlySpan<float> bias, int batch, int channels, int positions, Span<float> output)
    {
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> sample = rows.Slice(n * positions * channels, positions * channels);
            Span<float> image = output.Slice(n * positions * channels, positions * channels);
            for (int c = 0; c < channels; c++)
            {
                float offset = bias.IsEmpty ? 0f : bias[c];
                Span<float> plane = image.Slice(c * positions, positions);
                for (int p = 0; p < positions; p++)
                {
                    plane[p] = sample[(p * channels) + c] + offset;
                }
            }
        }
    }

    /// <summary>rows[n * positions + p, c] = input[n, c, p]: NCHW gradients as a product's rows.</summary>
    public static void ChannelsToRows(ReadOnlySpan<float> input, int batch, int channels, int positions, Span<float> rows)
    {
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> image = input.Slice(n * positions * channels, positions * channels);
            Span<float> sample = rows.Slice(n * positions * channels, positions * channels);
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<float> plane = image.Slice(c * positions, positions);
                for (int p = 0; p < positions; p++)
                {
                    sample[(p * channels) + c] = plane[p];
                }
            }
        }
    }

    private static void Run<TPart>(in TPart part, int batch)
        where TPart : struct, IImagePart
    {
        int threads = KernelOptions.MaxDegreeOfParallelism;
        if (threads <= 1 || batch <= 1)
        {
            for (int n = 0; n < batch; n++)
            {
                part.Run(n);
            }

            return;
        }

        ImageJob<TPart> job = ImageJob<TPart>.ForThisThread;
        job.Part = part;
        try
        {
            KernelThreadPool.Run(job, batch, threads);
        }
        finally
        {
            job.Part = default;
        }
    }

    /// <summary>The work on one image.</summary>
    private interface IImagePart
    {
        void Run(int image);
    }

    private readonly struct ImagesToRowsPart(float* images, float* rows, ConvolutionShape shape) : IImagePart
    {
        public void Run(int n)
        {
            int k = shape.Kernel;
            float* image = images + ((long)n * shape.ImageSize);
            float* row = rows + ((long)n * shape.Positions * shape.PatchSize);
            for (int oy = 0; oy < shape.OutHeight; oy++)
            {
                for (int ox = 0; ox < shape.OutWidth; ox++, row += shape.PatchSize)
                {
                    float* target = row;
                    for (int c = 0; c < shape.Channels; c++)
                    {
                        float* plane = image + ((long)c * shape.Height * shape.Width);
                        for (int ky = 0; ky < k; ky++, target += k)
                        {
                            int y = (oy * shape.Stride) - shape.Padding + ky;
                            if ((uint)y >= (uint)shape.Height)
                            {
                                new Span<float>(target, k).Clear();
                                continue;
                            }

                            float* line = plane + ((long)y * shape.Width);
                            int x0 = (ox * shape.Stride) - shape.Padding;
                            for (int kx = 0; kx < k; kx++)
                            {
                                int x = x0 + kx;
                                target[kx] = (uint)x < (uint)shape.Width ? line[x] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    private readonly struct RowsToImagesPart(float* rows, float* images, ConvolutionShape shape) : IImagePart
    {
        public void Run(int n)
        {
            int k = shape.Kernel;
            float* image = images + ((long)n * shape.ImageSize);
            float* row = rows + ((long)n * shape.Positions * shape.PatchSize);
            new Span<float>(image, shape.ImageSize).Clear();
            for (int oy = 0; oy < shape.OutHeight; oy++)
            {
                for (int ox = 0; ox < shape.OutWidth; ox++, row += shape.PatchSize)
                {
                    float* source = row;
                    for (int c = 0; c < shape.Channels; c++)
                    {
                        float* plane = image + ((long)c * shape.Height * shape.Width);
                        for (int ky = 0; ky < k; ky++, source += k)
                        {
                            int y = (oy * shape.Stride) - shape.Padding + ky;
                            if ((uint)y >= (uint)shape.Height)
                            {
                                continue;
                            }

                            float* line = plane + ((long)y * shape.Width);
                            int x0 = (ox * shape.Stride) - shape.Padding;
                            for (int kx = 0; kx < k; kx++)
                            {
                                int x = x0 + kx;
                                if ((uint)x < (uint)shape.Width)
                                {
                                    line[x] += source[kx];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Images as parts on the kernel threads; one instance per calling thread, so a call allocates nothing.</summary>
    private sealed class ImageJob<TPart> : ParallelWork
        where TPart : struct, IImagePart
    {
        [ThreadStatic]
        private static ImageJob<TPart>? t_job;

        public TPart Part { get; set; }

        public static ImageJob<TPart> ForThisThread => t_job ??= new ImageJob<TPart>();

        public override void Execute(int index) => Part.Run(index);
    }
}
