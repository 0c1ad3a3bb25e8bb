using Spectre.Console;
using TinyNet.Data;
using TinyNet.Kernels;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Metrics;
using TinyNet.Optimizers;
using TinyNet.Training;

namespace TinyNet.Samples.Cnn;

/// <summary>The CNN sample: options, images, model, training, evaluation, plots, and the model saved for deployment.</summary>
public static class CnnProgram
{
    private const int ImageSize = 28;

    public static int Run(string[] args)
    {
        if (ArgumentReader.Start(args, CnnOptions.Parse, CnnOptions.Help, out CnnOptions options) is int exitCode)
        {
            return exitCode;
        }

        Dataset data = SyntheticData.Shapes(options.SamplesPerClass, ImageSize, noise: 0.15f, seed: options.Seed);
        (Dataset rest, Dataset test) = data.StratifiedSplit(0.2f, options.Seed);
        (Dataset train, Dataset validation) = rest.StratifiedSplit(0.2f, options.Seed + 1);

        // LeNet-5's shape on 28 x 28 images: two convolutions with pooling, then three Linear layers.
        var model = new Sequential(
            new Conv2d(1, 6, 5), new ReLU(), new MaxPool2d(2),
            new Conv2d(6, 16, 5), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
            new Flatten(),
            new Linear(16 * 4 * 4, 120), new ReLU(),
            new Linear(120, 84), new ReLU(),
            new Linear(84, SyntheticData.ShapeNames.Count));
        var trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.Parameters, options.LearningRate), new TrainerOptions
        {
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            Seed = options.Seed,
            Metrics = [MetricNames.F1],
        });

        AnsiConsole.MarkupLine($"[bold]TinyNet[/] CNN on synthetic {ImageSize} x {ImageSize} shapes: {train.Count} training, {validation.Count} validation, {test.Count} test images; GEMM kernel {Gemm.Kernel}, {KernelOptions.MaxDegreeOfParallelism} thread(s).");
        AnsiConsole.WriteLine(model.Summary(1, ImageSize, ImageSize));
        AnsiConsole.MarkupLine($"[bold]Plan:[/] {Markup.Escape(trainer.Plan(train.Count).ToString())}");

        (TrainingResult result, TimeSpan time) = SampleReport.Train(trainer, train, validation);
        EvaluationResult evaluation = trainer.Evaluate(test);
        Directory.CreateDirectory(options.Output);
        var written = new List<string>
        {
            Curves.Loss(options.Output, result.History),
            Curves.Accuracy(options.Output, result.History),
            ImageGrid.Draw(options.Output, model, test, SyntheticData.ShapeNames),
        };
        written.AddRange(SampleReport.SaveModel(model, options.Output, 1, ImageSize, ImageSize));
        SampleReport.Print(result, evaluation, time, options.BatchSize, classification: true, written);
        return 0;
    }
}
