using TinyNet.Data;
using TinyNet.Kernels;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Metrics;
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
    private RunningLoss _epochMetrics;
    private bool _windowOpen;

    // The metrics of TrainerOptions.Metrics over the epoch's batches and over the validation set;
    // null when none are asked for.
    private MetricAccumulator? _trainMetrics;
    private MetricAccumulator? _validationMetrics;
    private MetricAccumulator? _shardMetrics;

    // Gradient sums: all of a step's parameters' gradients as one flat buffer (to sum across
    // ranks), a window's running sum (to add each iteration's gradient whole), and the loss and
    // accuracy counts summed across ranks. Allocated when first needed.
    private float[] _flatGradients = [];
    private float[] _runningSum = [];
    private readonly double[] _statistics = new double[4];

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
        MetricAccumulator.Check(loss, options.Metrics, nameof(options.Metrics));
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
        MetricAccumulator.Check(_loss, _options.Metrics, nameof(_options.Metrics));
        Tensor probe = CheckFits(train, nameof(train));
        if (validation is not null)
        {
            if (!validation.Inputs.Shape.Skip(1).SequenceEqual(train.Inputs.Shape.Skip(1)) || !validation.Targets.Shape.Skip(1).SequenceEqual(train.Targets.Shape.Skip(1)))
            {
                throw new ArgumentException(
                    $"validation has inputs {Tensor.FormatShape(validation.Inputs.Shape)} and targets {Tensor.FormatShape(validation.Targets.Shape)}, but train has inputs {Tensor.FormatShape(train.Inputs.Shape)} and targets {Tensor.FormatShape(train.Targets.Shape)}: a sample must have the same shape in both.",
                    nameof(validation));
            }

            CheckFits(validation, nameof(validation));
        }

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
        IReadOnlyList<string> metricNames = [.. _options.Metrics];
        var context = new TrainingContext(plan, _model, _optimizer, metricNames) { LearningRate = _optimizer.LearningRate, Resumed = resume is not null };
        _trainMetrics = metricNames.Count > 0 ? new MetricAccumulator(_loss, metricNames) : null;

        // With data parallelism, each iteration's metric sums are the shards' sums across ranks,
        // so every rank's are sized alike before any shard (one may have none) is seen.
        _shardMetrics = metricNames.Count > 0 && _options.DataParallel is not null ? new MetricAccumulator(_loss, metricNames) : null;
        _trainMetrics?.Prepare(probe);
        _shardMetrics?.Prepare(probe);
        _validationMetrics = metricNames.Count > 0 && validation is not null ? new MetricAccumulator(_loss, metricNames) : null;
        int[] order = new int[train.Count];

        // This rank's shard of each batch: all of it in one process; with data parallelism
        // BatchSize consecutive samples from rank x BatchSize, fewer or none in a short last batch.
        DataParallelGroup? group = _options.DataParallel;
        int rank = group?.Rank ?? 0;
        int shard = plan.BatchSize / plan.Ranks;
        int lastShard = Math.Clamp(plan.LastBatchSize - (rank * shard), 0, shard);
        context.IsPrimary = rank == 0;
        int[] fullInputShape = train.InputBatchShape(shard);
        int[] fullTargetShape = train.TargetBatchShape(shard);
        int[] lastInputShape = train.InputBatchShape(Math.Max(lastShard, 1));
        int[] lastTargetShape = train.TargetBatchShape(Math.Max(lastShard, 1));
        bool addWhole = plan.AccumulationSteps > 1;
        PrepareGradientBuffers(group is not null, addWhole);
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
                context.EpochMetrics = null;
                context.ValidationMetrics = null;
                _epochMetrics = resumed ? resume!.EpochMetrics : default;
                if (resumed && resume!.EpochMetricSums.Length > 0)
                {
                    _trainMetrics?.Restore(resume.EpochMetricSums);
                }
                else
                {
                    _trainMetrics?.Reset();
                }

                _batchesDone = resumed ? startBatch - 1 : 0;
                _epochComplete = false;
                var window = default(RunningLoss);
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

                    // One iteration: gather, forward, loss, backward (of this rank's shard).
                    int size = plan.BatchSizeOf(batch);
                    bool last = batch == plan.BatchesPerEpoch;
                    int shardSize = last ? lastShard : shard;
                    (int first, int lastOfWindow) = plan.WindowOf(batch);
                    int windowSamples = WindowSamples(plan, first, lastOfWindow);
                    context.Batch = batch;
                    context.Iteration++;
                    context.BatchSize = size;
                    Raise(Hook.IterationBegin, context);
                    if (addWhole && batch != first)
                    {
                        // The window's gradient so far moves aside, so this iteration's is computed whole.
                        SaveRunningSum();
                    }

                    var statistics = default(RunningLoss);
                    if (shardSize > 0)
                    {
                        Tensor inputs = _inputBatch.Get(last ? lastInputShape : fullInputShape);
                        Tensor targets = _targetBatch.Get(last ? lastTargetShape : fullTargetShape);
                        train.Gather(order.AsSpan(((batch - 1) * plan.BatchSize) + (rank * shard), shardSize), inputs, targets);
                        Tensor output = _model.Forward(inputs);
                        float shardLoss = _loss.Forward(output, targets);
                        Tensor gradient = _loss.Backward();
                        if (windowSamples != shardSize)
                        {
                            // The window's gradient is that of its mean loss over all its samples.
                            Elementwise.Map(new ScaleOperator((float)shardSize / windowSamples), gradient.AsSpan(), gradient.AsSpan());
                        }

                        _model.Backward(gradient);
                        statistics.Add(shardLoss, shardSize, CountCorrect(output, targets), AccuracyUnits(output, shardSize));
                        (_shardMetrics ?? _trainMetrics)?.Add(output, targets);
                    }

                    if (group is not null)
                    {
                        // Every rank's gradients and counts, summed in rank order: every rank steps alike.
                        statistics = SumAcrossRanks(group, statistics, contributes: shardSize > 0);
                        if (_shardMetrics is not null)
                        {
                            group.SumInRankOrder(_shardMetrics.Sums);
                            _trainMetrics!.Add(_shardMetrics);
                            _shardMetrics.Reset();
                        }
                    }

                    if (addWhole && batch != first)
                    {
                        AddRunningSum();
                    }

                    float loss = statistics.MeanLoss;
                    _windowOpen = batch != lastOfWindow;
                    context.Loss = loss;
                    _epochMetrics.Add(statistics);
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

                context.EpochMetrics = _trainMetrics?.Values();
                if (validation is not null && context.RequestedStop != StopReason.Cancelled)
                {
                    _validationMetrics?.Reset();
                    RunningLoss validated = EvaluateBatches(validation, plan.BatchSize, _validationMetrics);
                    context.ValidationLoss = validated.MeanLoss;
                    context.ValidationAccuracy = IsClassification ? validated.Accuracy : null;
                    context.ValidationMetrics = _validationMetrics?.Values();
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

    /// <summary>
    /// Allocates, once per trainer, what summing gradients needs: one flat buffer of every
    /// parameter's gradient, to sum across ranks in one call, and one for a window's running sum,
    /// so that each iteration's gradient is computed on its own and then added whole:
    /// ((g1 + g2) + g3) ..., the order in which ranks' gradients are summed too.
    /// </summary>
    private void PrepareGradientBuffers(bool acrossRanks, bool runningSum)
    {
        int length = _optimizer.Parameters.Sum(p => p.Gradient.Length);
        if (acrossRanks && _flatGradients.Length != length)
        {
            _flatGradients = new float[length];
        }

        if (runningSum && _runningSum.Length != length)
        {
            _runningSum = new float[length];
        }
    }

    /// <summary>Moves the gradients into the running sum and clears them for the next iteration.</summary>
    private void SaveRunningSum()
    {
        int offset = 0;
        foreach (Parameter parameter in _optimizer.Parameters)
        {
            parameter.Gradient.AsSpan().CopyTo(_runningSum.AsSpan(offset));
            offset += parameter.Gradient.Length;
        }

        _optimizer.ZeroGrad();
    }

    /// <summary>Gradient = running sum + gradient, element by element.</summary>
    private void AddRunningSum()
    {
        int offset = 0;
        foreach (Parameter parameter in _optimizer.Parameters)
        {
            Span<float> gradient = parameter.Gradient.AsSpan();
            Elementwise.Map(default(AddOperator), _runningSum.AsSpan(offset, gradient.Length), gradient, gradient);
            offset += gradient.Length;
        }
    }

    /// <summary>Sums every rank's gradients (of the ranks that had samples) and statistics in rank order; every rank gets the same.</summary>
    private RunningLoss SumAcrossRanks(DataParallelGroup group, in RunningLoss statistics, bool contributes)
    {
        int offset = 0;
        foreach (Parameter parameter in _optimizer.Parameters)
        {
            parameter.Gradient.AsSpan().CopyTo(_flatGradients.AsSpan(offset));
            offset += parameter.Gradient.Length;
        }

        group.SumInRankOrder(_flatGradients, contributes);
        offset = 0;
        foreach (Parameter parameter in _optimizer.Parameters)
        {
            _flatGradients.AsSpan(offset, parameter.Gradient.Length).CopyTo(parameter.Gradient.AsSpan());
            offset += parameter.Gradient.Length;
        }

        _statistics[0] = statistics.LossSum;
        _statistics[1] = statistics.Samples;
        _statistics[2] = statistics.Correct;
        _statistics[3] = statistics.Units;
        group.SumInRankOrder(_statistics);
        return new RunningLoss(_statistics[0], (long)_statistics[1], (long)_statistics[2], (long)_statistics[3]);
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

    /// <summary>
    /// The loss of the current model on a dataset, with every metric its loss supports (all of
    /// <see cref="MetricNames.Classification"/> or <see cref="MetricNames.Regression"/>) and,
    /// for a classifier, the confusion matrix. Runs in evaluation mode in batches of
    /// <see cref="TrainerOptions.BatchSize"/>, with no backward pass; nothing is trained and
    /// <see cref="Layer.IsTraining"/> is restored.
    /// </summary>
    /// <param name="data">The samples to evaluate, shaped as the training set is.</param>
    /// <returns>The loss, accuracy, metrics and confusion matrix.</returns>
    /// <exception cref="ArgumentException">The dataset does not fit the model or the loss.</exception>
    public EvaluationResult Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckFits(data, nameof(data));
        IReadOnlyList<string> supported = MetricAccumulator.SupportedBy(_loss);
        MetricAccumulator? metrics = supported.Count > 0 ? new MetricAccumulator(_loss, supported) : null;
        bool wasTraining = _model.IsTraining;
        try
        {
            RunningLoss result = EvaluateBatches(data, _options.BatchSize, metrics);
            return new EvaluationResult(
                result.MeanLoss,
                IsClassification ? result.Accuracy : null,
                metrics?.Values() ?? new Dictionary<string, float>(),
                metrics?.Confusion);
        }
        finally
        {
            _model.IsTraining = wasTraining;
        }
    }

    /// <summary>
    /// Checks, before anything is trained, that a dataset fits the model and the loss: one sample
    /// goes forward in evaluation mode (which changes no state: Dropout draws nothing) and
    /// through the loss, so a shape that does not fit fails here, naming the dataset.
    /// </summary>
    /// <returns>The model's output for that sample, whose shape sizes the metrics' sums.</returns>
    private Tensor CheckFits(Dataset data, string argument)
    {
        bool wasTraining = _model.IsTraining;
        _model.IsTraining = false;
        try
        {
            var inputs = new Tensor(data.InputBatchShape(1));
            var targets = new Tensor(data.TargetBatchShape(1));
            data.Gather([0], inputs, targets);
            Tensor output = _model.Forward(inputs);
            _loss.Forward(output, targets);
            return output;
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException(
                $"{argument} (inputs {Tensor.FormatShape(data.Inputs.Shape)}, targets {Tensor.FormatShape(data.Targets.Shape)}) does not fit the model and the loss: {error.Message}",
                argument,
                error);
        }
        finally
        {
            _model.IsTraining = wasTraining;
        }
    }

    /// <summary>The loss and accuracy over a dataset (and its metrics, when given), in evaluation mode, with no backward pass.</summary>
    private RunningLoss EvaluateBatches(Dataset data, int batchSize, MetricAccumulator? metrics)
    {
        _model.IsTraining = false;
        try
        {
            var result = default(RunningLoss);
            int[] order = new int[data.Count];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            int lastSize = data.Count - ((data.Count - 1) / batchSize * batchSize);
            int[] fullInputShape = data.InputBatchShape(Math.Min(batchSize, data.Count));
            int[] fullTargetShape = data.TargetBatchShape(Math.Min(batchSize, data.Count));
            int[] lastInputShape = data.InputBatchShape(lastSize);
            int[] lastTargetShape = data.TargetBatchShape(lastSize);
            for (int start = 0; start < data.Count; start += batchSize)
            {
                int size = Math.Min(batchSize, data.Count - start);
                bool last = start + size == data.Count;
                Tensor inputs = _inputBatch.Get(last ? lastInputShape : fullInputShape);
                Tensor targets = _targetBatch.Get(last ? lastTargetShape : fullTargetShape);
                data.Gather(order.AsSpan(start, size), inputs, targets);
                Tensor output = _model.Forward(inputs);
                float loss = _loss.Forward(output, targets);
                result.Add(loss, size, CountCorrect(output, targets), AccuracyUnits(output, size));
                metrics?.Add(output, targets);
            }

            return result;
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
    internal struct RunningLoss
    {
        private double _lossSum;
        private long _samples;
        private long _correct;
        private long _units;

        public RunningLoss(double lossSum, long samples, long correct, long units)
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

        public void Add(in RunningLoss other)
        {
            _lossSum += other._lossSum;
            _samples += other._samples;
            _correct += other._correct;
            _units += other._units;
        }

        public void Add(float loss, int samples, int correct, int units)
        {
            _lossSum += (double)loss * samples;
            _samples += samples;
            _correct += correct;
            _units += units;
        }
    }
}
