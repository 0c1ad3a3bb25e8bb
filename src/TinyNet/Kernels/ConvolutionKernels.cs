namespace TinyNet.Kernels;

/// <summary>
/// The data movement around a convolution computed as one matrix product: the batch's patches
/// laid out as columns (im2col: row k = (c, ky, kx) of the patch, column n * positions + p the
/// output pixel), and the block copies between a product's [channels, batch * positions] rows
/// and NCHW. Along a row of columns, the pixels of one output line come from one input line, so
/// stride-1 windows copy contiguous runs. Each image is its own part on the kernel threads, and
/// every output float is written by one part in a fixed order, so the results are the same on
/// any thread count.
/// </summary>
internal static unsafe class ConvolutionKernels
{
    /// <summary>
    /// columns[(c * kernel + ky) * kernel + kx, (n * positions) + (oy * outWidth) + ox] = the input
    /// pixel (n, c, oy * stride - padding + ky, ox * stride - padding + kx), or 0 in the padding.
    /// </summary>
    /// <param name="images">[batch, channels, height, width].</param>
    /// <param name="shape">The geometry.</param>
    /// <param name="columns">[patchSize, batch * positions], overwritten.</param>
    public static void ImagesToColumns(ReadOnlySpan<float> images, in ConvolutionShape shape, Span<float> columns)
    {
        fixed (float* source = images)
        fixed (float* destination = columns)
        {
            Run(new ImagesToColumnsPart(source, destination, shape), shape.Batch);
        }
    }

    /// <summary>
    /// The adjoint of <see cref="ImagesToColumns"/>: every column's floats added back onto the
    /// input pixels they were copied from (padding dropped), into images that are cleared first.
    /// </summary>
    /// <param name="columns">[patchSize, batch * positions].</param>
    /// <param name="shape">The geometry.</param>
    /// <param name="images">[batch, channels, height, width], overwritten.</param>
    public static void ColumnsToImages(ReadOnlySpan<float> columns, in ConvolutionShape shape, Span<float> images)
    {
        fixed (float* source = columns)
        fixed (float* destination = images)
        {
            Run(new ColumnsToImagesPart(source, destination, shape), shape.Batch);
        }
    }

    /// <summary>
    /// output[n, c, p] = product[c, n * positions + p] + bias[c] (bias empty: no bias): the
    /// product's rows, one per channel, back into NCHW order.
    /// </summary>
    public static void ProductToChannels(ReadOnlySpan<float> product, ReadOnlySpan<float> bias, int batch, int channels, int positions, Span<float> output)
    {
        for (int c = 0; c < channels; c++)
        {
            float offset = bias.IsEmpty ? 0f : bias[c];
            for (int n = 0; n < batch; n++)
            {
                ReadOnlySpan<float> source = product.Slice(((c * batch) + n) * positions, positions);
                Span<float> target = output.Slice(((n * channels) + c) * positions, positions);
                if (offset == 0f)
                {
                    source.CopyTo(target);
                }
                else
                {
                    Elementwise.Map(new AddScalarOperator(offset), source, target);
                }
            }
        }
    }

    /// <summary>product[c, n * positions + p] = input[n, c, p]: NCHW gradients as a product's rows, one per channel.</summary>
    public static void ChannelsToProduct(ReadOnlySpan<float> input, int batch, int channels, int positions, Span<float> product)
    {
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                input.Slice(((n * channels) + c) * positions, positions).CopyTo(product.Slice(((c * batch) + n) * positions, positions));
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

    private readonly struct ImagesToColumnsPart(float* images, float* columns, ConvolutionShape shape) : IImagePart
    {
        public void Run(int n)
        {
            int k = shape.Kernel;
            int outWidth = shape.OutWidth;
            long rowLength = (long)shape.Batch * shape.Positions;
            float* image = images + ((long)n * shape.ImageSize);
            for (int c = 0; c < shape.Channels; c++)
            {
                float* plane = image + ((long)c * shape.Height * shape.Width);
                for (int ky = 0; ky < k; ky++)
                {
                    for (int kx = 0; kx < k; kx++)
                    {
                        // Row (c, ky, kx) of the columns, this image's part of it.
                        float* target = columns + (((((long)c * k) + ky) * k) + kx) * rowLength + ((long)n * shape.Positions);
                        for (int oy = 0; oy < shape.OutHeight; oy++, target += outWidth)
                        {
                            int y = (oy * shape.Stride) - shape.Padding + ky;
                            if ((uint)y >= (uint)shape.Height)
                            {
                                new Span<float>(target, outWidth).Clear();
                                continue;
                            }

                            CopyLine(plane + ((long)y * shape.Width), target, kx - shape.Padding);
                        }
                    }
                }
            }
        }

        /// <summary>target[ox] = line[ox * stride + x0], 0 where that is outside the line.</summary>
        private void CopyLine(float* line, float* target, int x0)
        {
            int outWidth = shape.OutWidth;
            int stride = shape.Stride;
            (int first, int last) = Inside(shape, x0);
            if (last < first)
            {
                new Span<float>(target, outWidth).Clear();
                return;
            }

            new Span<float>(target, first).Clear();

            if (stride == 1)
            {
                new ReadOnlySpan<float>(line + x0 + first, last - first + 1).CopyTo(new Span<float>(target + first, last - first + 1));
            }
            else
            {
                for (int ox = first; ox <= last; ox++)
                {
                    target[ox] = line[(ox * stride) + x0];
                }
            }

            new Span<float>(target + last + 1, outWidth - last - 1).Clear();
        }
    }

    private readonly struct ColumnsToImagesPart(float* columns, float* images, ConvolutionShape shape) : IImagePart
    {
        public void Run(int n)
        {
            int k = shape.Kernel;
            int outWidth = shape.OutWidth;
            long rowLength = (long)shape.Batch * shape.Positions;
            float* image = images + ((long)n * shape.ImageSize);
            new Span<float>(image, shape.ImageSize).Clear();
            for (int c = 0; c < shape.Channels; c++)
            {
                float* plane = image + ((long)c * shape.Height * shape.Width);
                for (int ky = 0; ky < k; ky++)
                {
                    for (int kx = 0; kx < k; kx++)
                    {
                        float* source = columns + (((((long)c * k) + ky) * k) + kx) * rowLength + ((long)n * shape.Positions);
                        for (int oy = 0; oy < shape.OutHeight; oy++, source += outWidth)
                        {
                            int y = (oy * shape.Stride) - shape.Padding + ky;
                            if ((uint)y >= (uint)shape.Height)
                            {
                                continue;
                            }

                            float* line = plane + ((long)y * shape.Width);
                            int x0 = kx - shape.Padding;
                            (int first, int last) = Inside(shape, x0);
                            if (shape.Stride == 1 && last >= first)
                            {
                                var run = new Span<float>(line + x0 + first, last - first + 1);
                                Elementwise.Map(default(AddOperator), run, new ReadOnlySpan<float>(source + first, last - first + 1), run);
                                continue;
                            }

                            for (int ox = first; ox <= last; ox++)
                            {
                                line[(ox * shape.Stride) + x0] += source[ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The output pixels first..last of a line whose input column ox * stride + x0 is inside the
    /// image (last &lt; first when none is).
    /// </summary>
    private static (int First, int Last) Inside(in ConvolutionShape shape, int x0)
    {
        int first = x0 >= 0 ? 0 : (-x0 + shape.Stride - 1) / shape.Stride;
        int last = shape.Width - 1 - x0 < 0 ? -1 : Math.Min(shape.OutWidth - 1, (shape.Width - 1 - x0) / shape.Stride);
        return (Math.Min(first, shape.OutWidth), last);
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
