using TinyNet.Data;
using TinyNet.Kernels;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Optimizers;
using TinyNet.Training;
using TinyNet.Training.Callbacks;

namespace TinyNet.Tests;

/// <summary>
/// Bad input across the public API: each case must throw an <see cref="ArgumentException"/> (or a
/// subclass) that names the argument, before any state changes.
/// </summary>
[TestFixture]
public sealed class BadInputTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        Parameter parameter = new("w", new Tensor(3));
        var model = new Sequential(new Linear(3, 2, seed: 1));
        var data = new Dataset(new Tensor(10, 3), new Tensor(10, 2));

        yield return Case("tensor with a negative dimension", "shape", () => _ = new Tensor(3, -1));
        yield return Case("FromArray with too few values", "data", () => Tensor.FromArray([1f, 2f], 3));
        yield return Case("Dimension beyond the rank", "axis", () => new Tensor(2).Dimension(1));
        yield return Case("GEMM with a negative m", "m", () => Gemm.Multiply([], [], [], -1, 1, 1));
        yield return Case("GEMM with A too short", "a", () => Gemm.Multiply(new float[3], new float[4], new float[4], 2, 2, 2));
        yield return Case("GEMM with C too short", "c", () => Gemm.Multiply(new float[4], new float[4], new float[3], 2, 2, 2));
        yield return Case("thread count 0", "value", () => KernelOptions.MaxDegreeOfParallelism = 0);
        yield return Case("Linear with 0 inputs", "inFeatures", () => _ = new Linear(0, 2));
        yield return Case("Linear input of the wrong width", "input", () => new Linear(3, 2).Forward(new Tensor(4, 5)));
        yield return Case("Linear input of rank 1", "input", () => new Linear(3, 2).Forward(new Tensor(3)));
        yield return Case("Dropout probability 1", "probability", () => _ = new Dropout(1f));
        yield return Case("Dropout probability NaN", "probability", () => _ = new Dropout(float.NaN));
        yield return Case("LeakyReLU slope infinite", "negativeSlope", () => _ = new LeakyReLU(float.PositiveInfinity));
        yield return Case("Sequential with no layers", "layers", () => _ = new Sequential());
        yield return Case("MSE target of another shape", "target", () => new MeanSquaredError().Forward(new Tensor(2, 2), new Tensor(4)));
        yield return Case("class index out of range", "target", () => new SoftmaxCrossEntropy().Forward(new Tensor(1, 3), Tensor.FromArray([3f], 1)));
        yield return Case("class index not whole", "target", () => new SoftmaxCrossEntropy().Forward(new Tensor(1, 3), Tensor.FromArray([0.5f], 1)));
        yield return Case("SGD with no parameters", "parameters", () => _ = new Sgd([], 0.1f));
        yield return Case("SGD with a NaN learning rate", "learningRate", () => _ = new Sgd([parameter], float.NaN));
        yield return Case("SGD with momentum 1", "momentum", () => _ = new Sgd([parameter], 0.1f, momentum: 1f));
        yield return Case("Adam with beta2 negative", "beta2", () => _ = new Adam([parameter], beta2: -0.1f));
        yield return Case("Adam with epsilon 0", "epsilon", () => _ = new Adam([parameter], epsilon: 0f));
        yield return Case("AdamW with negative decay", "weightDecay", () => _ = new AdamW([parameter], weightDecay: -1f));
        yield return Case("the same parameter twice", "parameters", () => _ = new Adam([parameter, parameter]));
        yield return Case("schedule at a negative step", "step", () => new ConstantSchedule(0.1f).GetLearningRate(-1));
        yield return Case("cosine with a minimum above the rate", "minimumLearningRate", () => _ = new CosineAnnealingSchedule(0.1f, 10, 0.2f));
        yield return Case("batch size 0", "BatchSize", () => _ = new Trainer(model, new MeanSquaredError(), new Sgd(model.Parameters, 0.1f), new TrainerOptions { BatchSize = 0 }));
        yield return Case("accumulation 0", "AccumulationSteps", () => _ = new Trainer(model, new MeanSquaredError(), new Sgd(model.Parameters, 0.1f), new TrainerOptions { AccumulationSteps = 0 }));
        yield return Case("negative epochs", "Epochs", () => _ = new Trainer(model, new MeanSquaredError(), new Sgd(model.Parameters, 0.1f), new TrainerOptions { Epochs = -2 }));
        yield return Case("MaxSteps 0", "MaxSteps", () => TrainingPlan.Create(10, new TrainerOptions { MaxSteps = 0 }));
        yield return Case("plan for no samples", "sampleCount", () => TrainingPlan.Create(0, new TrainerOptions()));
        yield return Case("empty dataset", "inputs", () => _ = new Dataset(new Tensor(0, 3), new Tensor(0, 2)));
        yield return Case("inputs and targets disagree", "targets", () => _ = new Dataset(new Tensor(10, 3), new Tensor(9, 2)));
        yield return Case("split fraction 1", "validationFraction", () => data.Split(1f));
        yield return Case("synthetic spirals with one class", "classes", () => SyntheticData.Spirals(10, classes: 1));
        yield return Case("EarlyStopping with patience 0", "patience", () => _ = new EarlyStopping(patience: 0));
        yield return Case("CsvLogger without a path", "path", () => _ = new CsvLogger(" "));
        yield return Case("Predict on inputs of the wrong width", "inputs", () => model.Predict(new Tensor(4, 5)));
        yield return Case("Predict with batch size 0", "batchSize", () => model.Predict(new Tensor(4, 3), batchSize: 0));
        yield return Case("Summary of a sample that does not fit", "inputShape", () => model.Summary(5));
        yield return Case("Export of a sample that does not fit", "inputShape", () => TinyNet.Onnx.OnnxExporter.Export(model, Path.Combine(Path.GetTempPath(), "never-written.onnx"), 5));
        yield return Case("an unknown metric", "Metrics", () => _ = new Trainer(model, new MeanSquaredError(), new Sgd(model.Parameters, 0.1f), new TrainerOptions { Metrics = ["accuracy!"] }));
        yield return Case("a classification metric for a regression loss", "Metrics", () => _ = new Trainer(model, new MeanSquaredError(), new Sgd(model.Parameters, 0.1f), new TrainerOptions { Metrics = ["f1"] }));
        yield return Case("CSV target column not in the header", "options", () => CsvLoader.Read(new MemoryStream("a,b\n1,2\n"u8.ToArray()), new CsvOptions { TargetColumn = "c" }));
        yield return Case("CSV file that is a directory", "path", () => CsvLoader.Load(Path.GetTempPath()));
        yield return Case("Standardizer on another feature count", "inputs", () => Standardizer.Fit(new Tensor(2, 3)).Transform(new Tensor(2, 4)));
        yield return Case("stratified split of regression targets", "validationFraction", () => data.StratifiedSplit(0.5f));
        yield return Case("checkpoint path that is a directory", "path", () => new Trainer(model, new MeanSquaredError(), new Sgd(model.Parameters, 0.1f), new TrainerOptions()).LoadCheckpoint(Path.GetTempPath()));
        yield return Case("model file path that is a directory", "path", () => TinyNet.Serialization.ModelFile.Load(model, Path.GetTempPath()));
        yield return Case("gradient check with step 0", "step", () => TinyNet.Diagnostics.GradientChecker.CheckLayer(new ReLU(), new Tensor(1), step: 0f));
    }

    [TestCaseSource(nameof(Cases))]
    public void Is_rejected_with_the_argument_named(string parameterName, Action action)
    {
        var ex = Assert.Catch<ArgumentException>(() => action());
        Assert.That(ex!.ParamName, Is.EqualTo(parameterName), ex.Message);
        Assert.That(ex.Message, Is.Not.Empty);
    }

    [Test]
    public void NaN_in_the_data_is_found_up_front_when_asked()
    {
        var model = new Sequential(new Linear(3, 2, seed: 1));
        float[] before = model.Parameters.SelectMany(p => p.Value.ToArray()).ToArray();
        var data = new Dataset(new Tensor(10, 3), new Tensor(10, 2));
        data.Inputs.AsSpan()[7] = float.NaN;
        var trainer = new Trainer(model, new MeanSquaredError(), new Sgd(model.Parameters, 0.1f), new TrainerOptions { CheckFiniteData = true });
        var ex = Assert.Throws<ArgumentException>(() => trainer.Fit(data));
        Assert.That(ex!.ParamName, Is.EqualTo("train"));
        Assert.That(ex.Message, Does.Contain("NaN at element 7 (sample 2)"));
        Assert.That(model.Parameters.SelectMany(p => p.Value.ToArray()), Is.EqualTo(before).AsCollection);
    }

    [Test]
    public void A_validation_set_that_does_not_fit_is_found_before_any_training()
    {
        var model = new Sequential(new Linear(3, 2, seed: 1));
        float[] before = model.Parameters.SelectMany(p => p.Value.ToArray()).ToArray();
        var train = new Dataset(new Tensor(10, 3), new Tensor(10, 2));
        var trainer = new Trainer(model, new MeanSquaredError(), new Sgd(model.Parameters, 0.1f), new TrainerOptions { BatchSize = 5 });
        var counter = new TinyNet.Tests.Training.HookRecorder();
        trainer.Callbacks.Add(counter);

        var wide = Assert.Throws<ArgumentException>(() => trainer.Fit(train, new Dataset(new Tensor(4, 5), new Tensor(4, 2))));
        Assert.That(wide!.ParamName, Is.EqualTo("validation"));
        Assert.That(wide.Message, Does.Contain("[4, 5]").And.Contain("[10, 3]"));
        var targets = Assert.Throws<ArgumentException>(() => trainer.Fit(train, new Dataset(new Tensor(4, 3), new Tensor(4, 3))));
        Assert.That(targets!.ParamName, Is.EqualTo("validation"));
        var unfit = Assert.Throws<ArgumentException>(() => trainer.Fit(new Dataset(new Tensor(4, 4), new Tensor(4, 2))));
        Assert.That(unfit!.ParamName, Is.EqualTo("train"));
        Assert.That(unfit.Message, Does.Contain("[batch, 3]"));

        Assert.That(counter.Events, Is.Empty, "no hook ran");
        Assert.That(model.Parameters.SelectMany(p => p.Value.ToArray()), Is.EqualTo(before).AsCollection);
    }

    [Test]
    public void There_are_at_least_thirty_cases() => Assert.That(Cases().Count(), Is.GreaterThanOrEqualTo(30));

    private static TestCaseData Case(string name, string parameterName, Action action) =>
        new TestCaseData(parameterName, action).SetArgDisplayNames(name);
}
