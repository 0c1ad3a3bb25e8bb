using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TinyNet.Kernels;

/// <summary>
/// The optimizers' per-element updates, each written once over <see cref="ISimd{TVector}"/> and
/// run on the widest accelerated vectors, then on single floats for the rest. They update in
/// place, so the rest is never done with an overlapping vector.
/// </summary>
internal static unsafe class OptimizerKernels
{
    /// <summary>
    /// The elements in one part of an update split over threads (64 KB of each tensor), a
    /// multiple of every vector width. Updates are independent element by element, so the split
    /// never changes a result; a parameter shorter than two parts is updated on the calling
    /// thread. Adam's divisions and square root keep it compute-bound at about 2.5 cycles per
    /// element, so a 784 x 512 weight takes about 0.4 ms on one core.
    /// </summary>
    internal const int PartLength = 16384;

    /// <summary>
    /// One step of SGD as PyTorch defines it (dampening 0): g = grad + wd * p; with momentum,
    /// b = g on the first step, else momentum * b + g, and g = g + momentum * b (Nesterov) or b;
    /// then p -= lr * g. Runs on up to <paramref name="maxThreads"/> threads
    /// (0: <see cref="KernelOptions.MaxDegreeOfParallelism"/>).
    /// </summary>
    public static void Sgd(
        Span<float> parameter, ReadOnlySpan<float> gradient, Span<float> momentumBuffer,
        float learningRate, float momentum, bool nesterov, float weightDecay, bool firstStep, int maxThreads = 0)
    {
        var update = new SgdUpdate(learningRate, momentum, nesterov, weightDecay, firstStep);
        fixed (float* p = parameter)
        fixed (float* g = gradient)
        fixed (float* b = momentumBuffer)
        {
            Update(update, p, g, b, null, parameter.Length, maxThreads);
        }
    }

    /// <summary>
    /// One step of Adam or AdamW as PyTorch computes it. Adam: g = grad + wd * p. AdamW:
    /// p *= 1 - lr * wd. Then m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g², and
    /// p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps). Runs on up to
    /// <paramref name="maxThreads"/> threads (0: <see cref="KernelOptions.MaxDegreeOfParallelism"/>).
    /// </summary>
    public static void Adam(
        Span<float> parameter, ReadOnlySpan<float> gradient, Span<float> firstMoment, Span<float> secondMoment,
        float learningRate, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled, long step, int maxThreads = 0)
    {
        var update = new AdamUpdate(learningRate, beta1, beta2, epsilon, weightDecay, decoupled, step);
        fixed (float* p = parameter)
        fixed (float* g = gradient)
        fixed (float* m = firstMoment)
        fixed (float* v = secondMoment)
        {
            Update(update, p, g, m, v, parameter.Length, maxThreads);
        }
    }

    /// <summary>
    /// Sets a gradient to zero, split over up to <paramref name="maxThreads"/> threads
    /// (0: <see cref="KernelOptions.MaxDegreeOfParallelism"/>) as the updates are: the zeroing
    /// of a large model's gradients reads as memory-bound as an update, on one core.
    /// </summary>
    public static void Zero(Span<float> gradient, int maxThreads = 0)
    {
        fixed (float* g = gradient)
        {
            Update(default(Zeroing), null, g, null, null, gradient.Length, maxThreads);
        }
    }

    /// <summary>
    /// Applies <paramref name="update"/> to elements [0, <paramref name="length"/>) of the
    /// parameter, its gradient and up to two state tensors: on the calling thread, or part by
    /// part on the pool when the parameter has two parts or more and threads are allowed.
    /// </summary>
    private static void Update<TUpdate>(in TUpdate update, float* p, float* g, float* first, float* second, int length, int maxThreads)
        where TUpdate : struct, IUpdate
    {
        if (maxThreads <= 0)
        {
            maxThreads = KernelOptions.MaxDegreeOfParallelism;
        }

        int parts = Parts(length, maxThreads);
        if (parts <= 1)
        {
            update.Apply(p, g, first, second, 0, length);
            return;
        }

        UpdateJob<TUpdate> job = UpdateJob<TUpdate>.ForThisThread;
        job.Set(update, p, g, first, second, length);
        try
        {
            KernelThreadPool.Run(job, parts, maxThreads);
        }
        finally
        {
            job.Clear();
        }
    }

    /// <summary>
    /// How many parts of <see cref="PartLength"/> an update of <paramref name="length"/>
    /// elements is cut into on up to <paramref name="maxThreads"/> threads (1: it is not split).
    /// </summary>
    internal static int Parts(int length, int maxThreads) =>
        maxThreads > 1 && length >= 2 * PartLength ? (length + PartLength - 1) / PartLength : 1;

    /// <summary>Gradients smaller than this square to a subnormal: they are treated as zero.</summary>
    private const float TinyGradient = 1.1e-19f;

    /// <summary>Moments smaller than this are one decay away from subnormal: they are set to zero.</summary>
    private const float TinyMoment = 1e-36f;

    /// <summary>x where |x| &gt;= limit, else 0.</summary>
    private static TVector FlushTiny<TSimd, TVector>(TVector x, TVector limit)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.Select(TSimd.LessThan(TSimd.Abs(x), limit), TSimd.Zero, x);

    private readonly struct SgdUpdate : IUpdate
    {
        private readonly float _learningRate;
        private readonly float _momentum;
        private readonly bool _nesterov;
        private readonly float _weightDecay;
        private readonly bool _firstStep;

        public SgdUpdate(float learningRate, float momentum, bool nesterov, float weightDecay, bool firstStep)
        {
            _learningRate = learningRate;
            _momentum = momentum;
            _nesterov = nesterov;
            _weightDecay = weightDecay;
            _firstStep = firstStep;
        }

        /// <inheritdoc/>
        public void Apply(float* p, float* g, float* b, float* unused, int start, int end)
        {
            int done = Vector512Simd.IsSupported ? Run<Vector512Simd, Vector512<float>>(p, g, b, start, end)
                : Vector256Simd.IsSupported ? Run<Vector256Simd, Vector256<float>>(p, g, b, start, end)
                : Vector128Simd.IsSupported ? Run<Vector128Simd, Vector128<float>>(p, g, b, start, end)
                : start;
            Run<ScalarSimd, float>(p, g, b, done, end);
        }

        /// <summary>Updates elements [start, end) in steps of the vector width; returns where it stopped.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int Run<TSimd, TVector>(float* p, float* g, float* b, int start, int end)
            where TSimd : struct, ISimd<TVector>
            where TVector : struct
        {
            int width = TSimd.Width;
            TVector rate = TSimd.Broadcast(-_learningRate);
            TVector decay = TSimd.Broadcast(_weightDecay);
            TVector momentum = TSimd.Broadcast(_momentum);
            int i = start;
            for (; i <= end - width; i += width)
            {
                TVector parameter = TSimd.Load(p + i);
                TVector gradient = TSimd.Load(g + i);
                if (_weightDecay != 0f)
                {
                    gradient = TSimd.MultiplyAdd(decay, parameter, gradient);
                }

                if (_momentum != 0f)
                {
                    TVector buffer = FlushTiny<TSimd, TVector>(
                        _firstStep ? gradient : TSimd.MultiplyAdd(momentum, TSimd.Load(b + i), gradient), TSimd.Broadcast(TinyMoment));
                    TSimd.Store(buffer, b + i);
                    gradient = _nesterov ? TSimd.MultiplyAdd(momentum, buffer, gradient) : buffer;
                }

                TSimd.Store(TSimd.MultiplyAdd(rate, gradient, parameter), p + i);
            }

            return i;
        }
    }

    private readonly struct AdamUpdate : IUpdate
    {
        private readonly float _learningRate;
        private readonly float _beta1;
        private readonly float _beta2;
        private readonly float _epsilon;
        private readonly float _weightDecay;
        private readonly bool _decoupled;
        private readonly float _stepSize;
        private readonly float _secondCorrectionRoot;

        public AdamUpdate(float learningRate, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled, long step)
        {
            _learningRate = learningRate;
            _beta1 = beta1;
            _beta2 = beta2;
            _epsilon = epsilon;
            _weightDecay = weightDecay;
            _decoupled = decoupled;
            double firstCorrection = 1 - Math.Pow(beta1, step);
            double secondCorrection = 1 - Math.Pow(beta2, step);
            _stepSize = (float)(learningRate / firstCorrection);
            _secondCorrectionRoot = (float)Math.Sqrt(secondCorrection);
        }

        /// <inheritdoc/>
        public void Apply(float* p, float* g, float* m, float* v, int start, int end)
        {
            int done = Vector512Simd.IsSupported ? Run<Vector512Simd, Vector512<float>>(p, g, m, v, start, end)
                : Vector256Simd.IsSupported ? Run<Vector256Simd, Vector256<float>>(p, g, m, v, start, end)
                : Vector128Simd.IsSupported ? Run<Vector128Simd, Vector128<float>>(p, g, m, v, start, end)
                : start;
            Run<ScalarSimd, float>(p, g, m, v, done, end);
        }

        /// <summary>Updates elements [start, end) in steps of the vector width; returns where it stopped.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int Run<TSimd, TVector>(float* p, float* g, float* m, float* v, int start, int end)
            where TSimd : struct, ISimd<TVector>
            where TVector : struct
        {
            int width = TSimd.Width;
            TVector decay = TSimd.Broadcast(_weightDecay);
            TVector shrink = TSimd.Broadcast(1f - (_learningRate * _weightDecay));
            TVector beta1 = TSimd.Broadcast(_beta1);
            TVector beta2 = TSimd.Broadcast(_beta2);
            TVector oneMinusBeta1 = TSimd.Broadcast(1f - _beta1);
            TVector oneMinusBeta2 = TSimd.Broadcast(1f - _beta2);
            TVector correctionRoot = TSimd.Broadcast(_secondCorrectionRoot);
            TVector epsilon = TSimd.Broadcast(_epsilon);
            TVector stepSize = TSimd.Broadcast(-_stepSize);
            TVector tinyGradient = TSimd.Broadcast(TinyGradient);
            TVector tinyMoment = TSimd.Broadcast(TinyMoment);
            int i = start;
            for (; i <= end - width; i += width)
            {
                TVector parameter = TSimd.Load(p + i);
                TVector gradient = TSimd.Load(g + i);
                if (_weightDecay != 0f)
                {
                    if (_decoupled)
                    {
                        parameter = TSimd.Multiply(parameter, shrink);
                    }
                    else
                    {
                        gradient = TSimd.MultiplyAdd(decay, parameter, gradient);
                    }
                }

                // m = b1 m + (1 - b1) g and v = b2 v + (1 - b2) g², as torch's lerp_ and mul_().addcmul_().
                // Values below the smallest normal float are flushed to zero first: the moments of a
                // parameter whose gradient has died would otherwise decay into subnormals, which x86
                // multiplies a hundred times slower, and training slows to a crawl.
                gradient = FlushTiny<TSimd, TVector>(gradient, tinyGradient);
                TVector first = FlushTiny<TSimd, TVector>(TSimd.MultiplyAdd(beta1, TSimd.Load(m + i), TSimd.Multiply(oneMinusBeta1, gradient)), tinyMoment);
                TVector second = FlushTiny<TSimd, TVector>(TSimd.MultiplyAdd(beta2, TSimd.Load(v + i), TSimd.Multiply(oneMinusBeta2, TSimd.Multiply(gradient, gradient))), tinyMoment);
                TSimd.Store(first, m + i);
                TSimd.Store(second, v + i);
                TVector denominator = TSimd.Add(TSimd.Divide(TSimd.Sqrt(second), correctionRoot), epsilon);
                TSimd.Store(TSimd.MultiplyAdd(stepSize, TSimd.Divide(first, denominator), parameter), p + i);
            }

            return i;
        }
    }

    /// <summary>One optimizer's rule for one step, element by element.</summary>
    private interface IUpdate
    {
        /// <summary>
        /// Updates elements [start, end) of the parameter <paramref name="p"/> from its gradient
        /// <paramref name="g"/> and its state (<paramref name="first"/>, <paramref name="second"/>,
        /// as many as the rule keeps): on the widest accelerated vectors, then the rest one by one.
        /// </summary>
        void Apply(float* p, float* g, float* first, float* second, int start, int end);
    }

    /// <summary>ZeroGrad's rule: the gradient's elements become zero; nothing else is read or written.</summary>
    private readonly struct Zeroing : IUpdate
    {
        /// <inheritdoc/>
        public void Apply(float* p, float* g, float* first, float* second, int start, int end) =>
            new Span<float>(g + start, end - start).Clear();
    }

    /// <summary>The parts of one update split over threads, <see cref="PartLength"/> elements each.</summary>
    private sealed class UpdateJob<TUpdate> : ParallelWork
        where TUpdate : struct, IUpdate
    {
        [ThreadStatic]
        private static UpdateJob<TUpdate>? t_job;

        private TUpdate _update;
        private float* _p;
        private float* _g;
        private float* _first;
        private float* _second;
        private int _length;

        /// <summary>This thread's job, made on first use.</summary>
        public static UpdateJob<TUpdate> ForThisThread => t_job ??= new UpdateJob<TUpdate>();

        public void Set(in TUpdate update, float* p, float* g, float* first, float* second, int length)
        {
            _update = update;
            _p = p;
            _g = g;
            _first = first;
            _second = second;
            _length = length;
        }

        public void Clear()
        {
            _p = null;
            _g = null;
            _first = null;
            _second = null;
        }

        public override void Execute(int index)
        {
            int start = index * PartLength;
            _update.Apply(_p, _g, _first, _second, start, Math.Min(start + PartLength, _length));
        }
    }
}
