using TinyNet.Data;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Metrics;
using TinyNet.Optimizers;
using TinyNet.Training;
using TinyNet.Training.Callbacks;

namespace TinyNet.Tests.Metrics;

/// <summary>
/// Every metric against values computed by hand. The model is a Linear layer with the identity
/// as weight, so its outputs are the inputs, chosen to give a known confusion matrix or errors.
/// </summary>
[TestFixture]
public sealed class MetricsTests : TemporaryFolder
{
    // Actual classes 0, 0, 0, 1, 1, 2 predicted as 0, 0, 1, 1, 2, 2: confusion rows [2 1 0], [0 1 1], [0 0 1].
    private static readonly float[] s_scores = [5, 1, 0, 3, 1, 0, 0, 4, 1, 0, 2, 1, 0, 1, 3, 0, 0, 2];
    private static readonly float[] s_classes = [0, 0, 0, 1, 1, 2];

    // precision 1, 1/2, 1/2; recall 2/3, 1/2, 1; F1 0.8, 0.5, 2/3.
    private const double MacroPrecision = 2.0 / 3;
    private const double MacroRecall = 13.0 / 18;
    private const double MacroF1 = (0.8 + 0.5 + (2.0 / 3)) / 3;

    [Test]
    public void The_confusion_matrix_gives_per_class_and_macro_values()
    {
        EvaluationResult result = Evaluate(Identity(3), new SoftmaxCrossEntropy(), s_scores, [6, 3], s_classes, [6]);
        ConfusionMatrix confusion = result.ConfusionMatrix!;
        long[,] expected = { { 2, 1, 0 }, { 0, 1, 1 }, { 0, 0, 1 } };
        for (int a = 0; a < 3; a++)
        {
            for (int p = 0; p < 3; p++)
            {
                Assert.That(confusion[a, p], Is.EqualTo(expected[a, p]), $"[{a}, {p}]");
            }
        }

        Assert.That(new[] { confusion.Precision(0), confusion.Precision(1), confusion.Precision(2) }, Is.EqualTo(new[] { 1, 0.5, 0.5 }).Within(1e-12));
        Assert.That(new[] { confusion.Recall(0), confusion.Recall(1), confusion.Recall(2) }, Is.EqualTo(new[] { 2.0 / 3, 0.5, 1 }).Within(1e-12));
        Assert.That(new[] { confusion.F1(0), confusion.F1(1), confusion.F1(2) }, Is.EqualTo(new[] { 0.8, 0.5, 2.0 / 3 }).Within(1e-12));
        Assert.That(confusion.Accuracy, Is.EqualTo(4.0 / 6).Within(1e-12));
        Assert.That(result.Accuracy, Is.EqualTo(4f / 6).Within(1e-6f));
        Assert.That(result.Metrics[MetricNames.Precision], Is.EqualTo(MacroPrecision).Within(1e-6));
        Assert.That(result.Metrics[MetricNames.Recall], Is.EqualTo(MacroRecall).Within(1e-6));
        Assert.That(result.Metrics[MetricNames.F1], Is.EqualTo(MacroF1).Within(1e-6));
        Assert.That(confusion.ToString(), Does.Contain("macro average: precision 0.6667, recall 0.7222, f1 0.6556"));
    }

    [Test]
    public void A_class_never_predicted_or_never_present_counts_zero()
    {
        var confusion = new ConfusionMatrix(new long[,] { { 3, 0, 0 }, { 1, 0, 0 }, { 0, 0, 0 } });
        Assert.That(confusion.Precision(1), Is.Zero);
        Assert.That(confusion.Recall(2), Is.Zero);
        Assert.That(confusion.F1(1), Is.Zero);
        Assert.That(confusion.MacroRecall, Is.EqualTo(1.0 / 3).Within(1e-12));
        Assert.That(confusion.Precision(0), Is.EqualTo(0.75));
        Assert.Throws<ArgumentOutOfRangeException>(() => confusion.Precision(3));
        Assert.Throws<ArgumentException>(() => _ = new ConfusionMatrix(new long[2, 3]));
    }

    [Test]
    public void Probability_targets_count_their_largest_entry_as_the_class()
    {
        float[] onehot = s_classes.SelectMany(c => Enumerable.Range(0, 3).Select(k => k == (int)c ? 1f : 0f)).ToArray();
        EvaluationResult result = Evaluate(Identity(3), new SoftmaxCrossEntropy(), s_scores, [6, 3], onehot, [6, 3]);
        Assert.That(result.Metrics[MetricNames.F1], Is.EqualTo(MacroF1).Within(1e-6));
    }

    [Test]
    public void Binary_outputs_count_as_two_classes_element_by_element()
    {
        // Logits > 0 predict 1. Actual 1, 1, 0, 0, 1 predicted 1, 0, 0, 1, 1: TP 2, FN 1, TN 1, FP 1.
        EvaluationResult result = Evaluate(Identity(1), new BinaryCrossEntropyWithLogits(), [2, -1, -3, 0.5f, 4], [5, 1], [1, 1, 0, 0, 1], [5, 1]);
        ConfusionMatrix confusion = result.ConfusionMatrix!;
        Assert.That((confusion[1, 1], confusion[1, 0], confusion[0, 0], confusion[0, 1]), Is.EqualTo((2L, 1L, 1L, 1L)));
        // Class 1: precision 2/3, recall 2/3; class 0: precision 1/2, recall 1/2.
        Assert.That(result.Metrics[MetricNames.F1], Is.EqualTo(((2.0 / 3) + 0.5) / 2).Within(1e-6));
        Assert.That(result.Metrics[MetricNames.Accuracy], Is.EqualTo(0.6).Within(1e-6));
    }

    [Test]
    public void Regression_metrics_match_hand_computed_values()
    {
        // Column 0: predictions 1, 2, 3, 4 for 1, 3, 2, 6: errors 0, -1, 1, -2; SST about the mean 3 is 14, SSE 6.
        // Column 1: predictions 0 for a constant 1: R² 0 (a constant target is only explained exactly).
        float[] predictions = [1, 0, 2, 0, 3, 0, 4, 0];
        float[] targets = [1, 1, 3, 1, 2, 1, 6, 1];
        EvaluationResult result = Evaluate(Identity(2), new MeanSquaredError(), predictions, [4, 2], targets, [4, 2]);
        Assert.That(result.Metrics[MetricNames.MeanAbsoluteError], Is.EqualTo(8.0 / 8).Within(1e-6));
        Assert.That(result.Metrics[MetricNames.RootMeanSquaredError], Is.EqualTo(Math.Sqrt(10.0 / 8)).Within(1e-6));
        Assert.That(result.Metrics[MetricNames.R2], Is.EqualTo(((1 - (6.0 / 14)) + 0) / 2).Within(1e-6));
        Assert.That(result.Loss, Is.EqualTo(10f / 8).Within(1e-6f));
        Assert.That(result.Accuracy, Is.Null);
        Assert.That(result.ConfusionMatrix, Is.Null);

        EvaluationResult single = Evaluate(Identity(1), new MeanSquaredError(), [1, 2, 3, 4], [4, 1], [1, 3, 2, 6], [4, 1]);
        Assert.That(single.Metrics[MetricNames.R2], Is.EqualTo(4.0 / 7).Within(1e-6));
    }

    [Test]
    public void Asked_for_metrics_appear_per_epoch_in_the_history_the_progress_line_and_the_CSV_log()
    {
        Sequential model = Identity(3);
        var data = new Dataset(Tensor.FromArray(s_scores, 6, 3), Tensor.FromArray(s_classes, 6));
        var trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(model.Parameters, 0f), new TrainerOptions
        {
            Epochs = 2,
            BatchSize = 4,
            Metrics = [MetricNames.F1, MetricNames.Recall],
        });
        var progress = new StringWriter();
        string csv = Path.Combine(Folder, "log.csv");
        trainer.Callbacks.Add(new ProgressReporter(progress, inPlace: false));
        trainer.Callbacks.Add(new CsvLogger(csv));
        TrainingResult result = trainer.Fit(data, validation: data);

        foreach (EpochRecord epoch in result.History.Epochs)
        {
            Assert.That(epoch.TrainMetrics!.Keys, Is.EqualTo(new[] { "f1", "recall" }));
            Assert.That(epoch.TrainMetrics["f1"], Is.EqualTo(MacroF1).Within(1e-6), "over the epoch's batches of 4 and 2");
            Assert.That(epoch.ValidationMetrics!["recall"], Is.EqualTo(MacroRecall).Within(1e-6));
        }

        Assert.That(progress.ToString(), Does.Contain("| f1 0.6556 | recall 0.7222 | val f1 0.6556 | val recall 0.7222"));
        string[] lines = File.ReadAllLines(csv);
        Assert.That(lines[0], Does.EndWith(",train_f1,train_recall,validation_f1,validation_recall"));
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(float.Parse(lines[1].Split(',')[^4], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(MacroF1).Within(1e-6));
    }

    [Test]
    public void Metrics_survive_a_checkpoint_in_the_middle_of_an_epoch()
    {
        Dataset data = SyntheticData.Blobs(30, classes: 3, seed: 2);
        TrainingResult Run(Trainer trainer) => trainer.Fit(data);
        (Sequential _, Trainer straight) = Classifier(seed: 1, maxSteps: 12);
        TrainingResult reference = Run(straight);

        (_, Trainer first) = Classifier(seed: 1, maxSteps: 4);
        Run(first);
        string path = Path.Combine(Folder, "mid-epoch.safetensors");
        first.SaveCheckpoint(path);
        (_, Trainer second) = Classifier(seed: 9, maxSteps: 12);
        second.LoadCheckpoint(path);
        TrainingResult resumed = Run(second);

        Assert.That(
            string.Join(" ", resumed.History.Epochs.Select(e => $"{e.Epoch}:{e.TrainMetrics!["f1"]:R}/{e.TrainLoss:R}")),
            Is.EqualTo(string.Join(" ", reference.History.Epochs.Select(e => $"{e.Epoch}:{e.TrainMetrics!["f1"]:R}/{e.TrainLoss:R}"))));
    }

    [Test]
    public void Unknown_or_unfitting_metric_names_are_rejected_when_the_trainer_is_made()
    {
        Sequential model = Identity(2);
        var unknown = Assert.Throws<ArgumentException>(() => _ = new Trainer(model, new MeanSquaredError(), new Sgd(model.Parameters, 0.1f), new TrainerOptions { Metrics = ["auc"] }));
        Assert.That(unknown!.ParamName, Is.EqualTo("Metrics"));
        Assert.That(unknown.Message, Does.Contain("'auc' is not a metric").And.Contain("f1"));
        var wrong = Assert.Throws<ArgumentException>(() => _ = new Trainer(model, new MeanSquaredError(), new Sgd(model.Parameters, 0.1f), new TrainerOptions { Metrics = ["f1"] }));
        Assert.That(wrong!.Message, Does.Contain("not a metric of MeanSquaredError").And.Contain("mae, rmse, r2"));
        Assert.Throws<ArgumentException>(() => _ = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(model.Parameters, 0.1f), new TrainerOptions { Metrics = ["f1", "f1"] }));
    }

    private static (Sequential Model, Trainer Trainer) Classifier(int seed, long maxSteps)
    {
        var model = new Sequential(new Linear(2, 8, seed: seed), new ReLU(), new Linear(8, 3, seed: seed + 1));
        return (model, new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.Parameters, 0.01f), new TrainerOptions
        {
            Epochs = 3,
            BatchSize = 9,
            Seed = 4,
            MaxSteps = maxSteps,
            Metrics = [MetricNames.F1],
        }));
    }

    private static Sequential Identity(int width)
    {
        var linear = new Linear(width, width, seed: 1);
        linear.Bias!.Value.AsSpan().Clear();
        Span<float> weight = linear.Weight.Value.AsSpan();
        weight.Clear();
        for (int i = 0; i < width; i++)
        {
            weight[(i * width) + i] = 1f;
        }

        return new Sequential(linear);
    }

    private static EvaluationResult Evaluate(Sequential model, Loss loss, float[] inputs, int[] inputShape, float[] targets, int[] targetShape)
    {
        var trainer = new Trainer(model, loss, new Sgd(model.Parameters, 0.1f), new TrainerOptions { BatchSize = 4 });
        return trainer.Evaluate(new Dataset(Tensor.FromArray(inputs, inputShape), Tensor.FromArray(targets, targetShape)));
    }
}
