using TinyNet.Data;
using TinyNet.Kernels;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Optimizers;
using TinyNet.Training.Callbacks;

namespace TinyNet.Training;

/// <summary>
/// The training loop, with TinyNet's four words counted exactly: per epoch (one pass over the
/// training set) the samples are put in the epoch's order and cut into batches; each batch is
/// one iteration (forward, loss, backward); every <see cref="TrainerOptions.AccumulationSteps"/>
/// iterations (a window, shorter at an epoch's end) make one step (one optimizer update).
/// <see cref="Plan"/> says all the counts before training starts.
/// </summary>
public sealed partial class Trainer
{
    private readonly Layer _model;
    private readonly Loss _loss;
    private readonly Optimizer _optimizer;
    private readonly TrainerOptions _options;
    private readonly History _history = new();
    private readonly TensorBuffer _inputBatch = new();
    private readonly TensorBuffer _targetBatch = new();

    // Where the current (or last) run stands, for checkpoints: the context's counters, the
    // batches done in the current epoch, whether its EpochEnd has run, and its running metrics.
    private TrainingContext? _context;
    private int _batchesDone;
    private bool _epochComplete;
    private int _epochsCompleted;
    private Metrics _epochMetrics;
    private bool _windowOpen;

    // A position loaded by LoadCheckpoint, where the next Fit starts.
    private TrainerState? _resume;

    /// <summary>Creates the trainer.</summary>
    /// <param name="model">The model to train.</param>
    /// <param name="loss">The loss between the model's output and the targets.</param>
    /// <param name="optimizer">The optimizer over the model's parameters.</param>
    /// <param name="options">The plan's settings; validated here and again when training starts.</param>
    public Trainer(Layer model, Loss loss, Optimizer optimizer, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _loss = loss;
        _optimizer = optimizer;
        _options = options;
    }

    private enum Hook
    {
        TrainBegin,
        EpochBegin,
        IterationBegin,
        IterationEnd,
        StepBegin,
        StepEnd,
        EpochEnd,
        TrainEnd,
    }

    /// <summary>The callbacks, called in order after the trainer's own history.</summary>
    public IList<TrainingCallback> Callbacks { get; } = new List<TrainingCallback>();

    /// <summary>The plan for a training set of <paramref name="sampleCount"/> samples.</summary>
    /// <param name="sampleCount">Samples in the training set.</param>
    /// <returns>Every count of the run.</returns>
    public TrainingPlan Plan(int sampleCount) => TrainingPlan.Create(sampleCount, _options);

    /// <summary>Trains the model.</summary>
    /// <param name="train">The training set; its targets must fit the loss.</param>
    /// <param name="validation">Evaluated after each epoch, in evaluation mode and without gradients; optional.</param>
    /// <param name="cancellationToken">Stops training cleanly between iterations.</param>
    /// <returns>How training ended, the counts completed and the history.</returns>
    public TrainingResult Fit(Dataset train, Dataset? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        TrainingPlan plan = Plan(train.Count);
        if (_options.CheckFiniteData)
        {
            CheckFinite(train, nameof(train));
            if (validation is not null)
            {
                CheckFinite(validation, nameof(validation));
            }
        }

        TrainerState? resume = _resume;
        resume?.CheckFits(plan.SampleCount, _options);
        LearningRateSchedule? schedule = _options.Schedule;
        var context = new TrainingContext(plan, _model, _optimizer) { LearningRate = _optimizer.LearningRate, Resumed = resume is not null };
        int[] order = new int[train.Count];
        int[] fullInputShape = train.InputBatchShape(plan.BatchSize);
        int[] fullTargetShape = train.TargetBatchShape(plan.BatchSize);
        int[] lastInputShape = train.InputBatchShape(plan.LastBatchSize);
        int[] lastTargetShape = train.TargetBatchShape(plan.LastBatchSize);
        bool requiresInputGradient = _model.RequiresInputGradient;
        long iterationsAtStart = resume?.Iteration ?? 0;
        int startEpoch = resume is null ? 1 : resume.EpochComplete ? resume.Epoch + 1 : resume.Epoch;
        int startBatch = resume is null || resume.EpochComplete ? 1 : resume.BatchesDone + 1;
        context.Iteration = iterationsAtStart;
        context.Step = resume?.Step ?? 0;
        _context = context;
        _epochsCompleted = resume?.EpochsCompleted ?? 0;
        _resume = null;

        // Nothing needs the gradient with respect to the data.
        _model.RequiresInputGradient = false;
        _model.IsTraining = true;
        _optimizer.ZeroGrad();
        try
        {
            Raise(Hook.TrainBegin, context);
            for (int epoch = startEpoch; epoch <= plan.Epochs && !context.StopRequested; epoch++)
            {
                bool resumed = epoch == startEpoch && startBatch > 1;
                context.Epoch = epoch;
                context.Batch = resumed ? startBatch - 1 : 0;
                context.ValidationLoss = null;
                context.ValidationAccuracy = null;
                _epochMetrics = resumed ? resume!.EpochMetrics : default;
                _batchesDone = resumed ? startBatch - 1 : 0;
                _epochComplete = false;
                var window = default(Metrics);
                SampleOrder.Compute(order, _options.Shuffle, _options.Seed, epoch);
                if (!resumed)
                {
                    Raise(Hook.EpochBegin, context);
                }

                for (int batch = resumed ? startBatch : 1; batch <= plan.BatchesPerEpoch; batch++)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        context.Stop(StopReason.Cancelled, $"cancelled before {context.Position()}");
                    }

                    if (context.StopRequested)
                    {
                        break;
                    }

                    // One iteration: gather, forward, loss, backward.
                    int size = plan.BatchSizeOf(batch);
                    bool last = batch == plan.BatchesPerEpoch;
                    Tensor inputs = _inputBatch.Get(last ? lastInputShape : fullInputShape);
                    Tensor targets = _targetBatch.Get(last ? lastTargetShape : fullTargetShape);
                    train.Gather(order.AsSpan((batch - 1) * plan.BatchSize, size), inputs, targets);
                    context.Batch = batch;
                    context.Iteration++;
                    context.BatchSize = size;
                    Raise(Hook.IterationBegin, context);

                    Tensor output = _model.Forward(inputs);
                    float loss = _loss.Forward(output, targets);
                    Tensor gradient = _loss.Backward();
                    (int first, int lastOfWindow) = plan.WindowOf(batch);
                    int windowSamples = WindowSamples(plan, first, lastOfWindow);
                    if (windowSamples != size)
                    {
                        // The window's gradient is that of its mean loss over all its samples.
                        Elementwise.Map(new ScaleOperator((float)size / windowSamples), gradient.AsSpan(), gradient.AsSpan());
                    }

                    _model.Backward(gradient);
                    _windowOpen = batch != lastOfWindow;
                    context.Loss = loss;
                    _epochMetrics.Add(loss, size, CountCorrect(output, targets), AccuracyUnits(output, size));
                    window.Add(loss, size, 0, 0);
                    context.EpochLoss = _epochMetrics.MeanLoss;
                    context.EpochAccuracy = IsClassification ? _epochMetrics.Accuracy : null;
                    Raise(Hook.IterationEnd, context);
                    if (context.StopRequested)
                    {
                        // A stop asked during the iteration drops its window's update.
                        _optimizer.ZeroGrad();
                        _windowOpen = false;
                        break;
                    }

                    if (batch == lastOfWindow)
                    {
                        _batchesDone = batch;
                        TakeStep(context, schedule, window.MeanLoss);
                        window = default;
                    }
                }

                if (_batchesDone == plan.BatchesPerEpoch)
                {
                    _epochsCompleted++;
                }

                if (validation is not null && context.RequestedStop != StopReason.Cancelled)
                {
                    Validate(validation, plan.BatchSize, context);
                }

                // Marked before the hook, so a checkpoint saved in OnEpochEnd resumes at the next epoch.
                _epochComplete = _batchesDone == plan.BatchesPerEpoch;
                Raise(Hook.EpochEnd, context);
            }

            Raise(Hook.TrainEnd, context);
        }
        finally
        {
            _model.RequiresInputGradient = requiresInputGradient;
            _model.IsTraining = true;
        }

        return new TrainingResult(
            context.RequestedStop ?? StopReason.Completed,
            context.StopMessage ?? $"all {plan.Epochs} epochs ran",
            _epochsCompleted,
            context.Iteration,
            context.Step,
            _history);
    }

    private static void CheckFinite(Dataset data, string argument)
    {
        foreach ((Tensor tensor, string what) in new[] { (data.Inputs, "inputs"), (data.Targets, "targets") })
        {
            ReadOnlySpan<float> values = tensor.AsSpan();
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    int row = i / Math.Max(1, values.Length / data.Count);
                    throw new ArgumentException(
                        $"{argument}.{what} holds {values[i]} at element {i} (sample {row}); training on it would give a non-finite loss.", argument);
                }
            }

        }
    }

    private bool IsClassification => _loss is SoftmaxCrossEntropy or BinaryCrossEntropyWithLogits;

    private static int WindowSamples(TrainingPlan plan, int first, int last)
    {
        int samples = 0;
        for (int batch = first; batch <= last; batch++)
        {
            samples += plan.BatchSizeOf(batch);
        }

        return samples;
    }

    /// <summary>One step: the schedule's rate, the update, the cleared gradients, the step hooks.</summary>
    private void TakeStep(TrainingContext context, LearningRateSchedule? schedule, float windowLoss)
    {
        if (schedule is not null)
        {
            _optimizer.LearningRate = schedule.GetLearningRate(context.Step);
        }

        context.Step++;
        context.Loss = windowLoss;
        context.LearningRate = _optimizer.LearningRate;
        Raise(Hook.StepBegin, context);
        _optimizer.Step();
        _optimizer.ZeroGrad();
        Raise(Hook.StepEnd, context);
        if (context.Plan.Limit == PlanLimit.MaxSteps && context.Step == context.Plan.TotalSteps)
        {
            context.Stop(StopReason.MaxSteps, $"MaxSteps {context.Plan.MaxSteps} reached in epoch {context.Epoch}, batch {context.Batch}");
        }
    }

    /// <summary>The validation loss and accuracy, in evaluation mode, with no backward pass.</summary>
    private void Validate(Dataset validation, int batchSize, TrainingContext context)
    {
        _model.IsTraining = false;
        try
        {
            var metrics = default(Metrics);
            int[] order = new int[validation.Count];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            int lastSize = validation.Count - ((validation.Count - 1) / batchSize * batchSize);
            int[] fullInputShape = validation.InputBatchShape(Math.Min(batchSize, validation.Count));
            int[] fullTargetShape = validation.TargetBatchShape(Math.Min(batchSize, validation.Count));
            int[] lastInputShape = validation.InputBatchShape(lastSize);
            int[] lastTargetShape = validation.TargetBatchShape(lastSize);
            for (int start = 0; start < validation.Count; start += batchSize)
            {
                int size = Math.Min(batchSize, validation.Count - start);
                bool last = start + size == validation.Count;
                Tensor inputs = _inputBatch.Get(last ? lastInputShape : fullInputShape);
                Tensor targets = _targetBatch.Get(last ? lastTargetShape : fullTargetShape);
                validation.Gather(order.AsSpan(start, size), inputs, targets);
                Tensor output = _model.Forward(inputs);
                float loss = _loss.Forward(output, targets);
                metrics.Add(loss, size, CountCorrect(output, targets), AccuracyUnits(output, size));
            }

            context.ValidationLoss = metrics.MeanLoss;
            context.ValidationAccuracy = IsClassification ? metrics.Accuracy : null;
        }
        finally
        {
            _model.IsTraining = true;
        }
    }

    /// <summary>Correct predictions in a batch, for the classification losses; 0 otherwise.</summary>
    private int CountCorrect(Tensor output, Tensor targets) => _loss switch
    {
        SoftmaxCrossEntropy => MetricKernels.CountArgmaxMatches(
            output.AsSpan(), output.Dimension(0), output.Dimension(1), targets.AsSpan(), targetIsIndex: targets.Rank == 1),
        BinaryCrossEntropyWithLogits => MetricKernels.CountThresholdMatches(output.AsSpan(), targets.AsSpan()),
        _ => 0,
    };

    /// <summary>What accuracy counts in a batch: samples for softmax, elements for binary outputs.</summary>
    private int AccuracyUnits(Tensor output, int size) => _loss is BinaryCrossEntropyWithLogits ? output.Length : size;

    private void Raise(Hook hook, TrainingContext context)
    {
        Call(_history, hook, context);
        for (int i = 0; i < Callbacks.Count; i++)
        {
            Call(Callbacks[i], hook, context);
        }
    }

    private static void Call(TrainingCallback callback, Hook hook, TrainingContext context)
    {
        try
        {
            switch (hook)
            {
                case Hook.TrainBegin: callback.OnTrainBegin(context); break;
                case Hook.EpochBegin: callback.OnEpochBegin(context); break;
                case Hook.IterationBegin: callback.OnIterationBegin(context); break;
                case Hook.IterationEnd: callback.OnIterationEnd(context); break;
                case Hook.StepBegin: callback.OnStepBegin(context); break;
                case Hook.StepEnd: callback.OnStepEnd(context); break;
                case Hook.EpochEnd: callback.OnEpochEnd(context); break;
                case Hook.TrainEnd: callback.OnTrainEnd(context); break;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"{callback.GetType().Name}.On{hook} threw at {context.Position()}: {exception.Message}", exception);
        }
    }

    /// <summary>Sums of loss (weighted by samples), samples, and correct predictions out of units.</summary>
    internal struct Metrics
    {
        private double _lossSum;
        private long _samples;
        private long _correct;
        private long _units;

        public Metrics(double lossSum, long samples, long correct, long units)
        {
            _lossSum = lossSum;
            _samples = samples;
            _correct = correct;
            _units = units;
        }

        public readonly double LossSum => _lossSum;

        public readonly long Samples => _samples;

        public readonly long Correct => _correct;

        public readonly long Units => _units;

        public readonly float MeanLoss => _samples == 0 ? 0f : (float)(_lossSum / _samples);

        public readonly float Accuracy => _units == 0 ? 0f : (float)_correct / _units;

        public void Add(float loss, int samples, int correct, int units)
        {
            _lossSum += (double)loss * samples;
            _samples += samples;
            _correct += correct;
            _units += units;
        }
    }
}
