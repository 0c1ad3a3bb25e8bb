using Spectre.Console;
using TinyNet.Data;
using TinyNet.Distributed;
using TinyNet.Kernels;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Metrics;
using TinyNet.Optimizers;
using TinyNet.Training;

namespace TinyNet.Samples.Mlp;

/// <summary>The sample: options, data, model, training, evaluation, plots, and the model saved for deployment.</summary>
public static class SampleProgram
{
    public static int Run(string[] args)
    {
        if (ArgumentReader.Start(args, SampleOptions.Parse, SampleOptions.Help, out SampleOptions options) is int exitCode)
        {
            return exitCode;
        }

        // With --distributed under mpirun, every process runs this same program as one rank.
        using MpiGroup? group = options.Distributed && MpiGroup.IsLaunchedByMpirun ? new MpiGroup() : null;
        if (options.Distributed && group is null)
        {
            Console.WriteLine("--distributed outside mpirun: training in one process (start it as mpirun -np N dotnet run ...).");
        }

        try
        {
            return Train(options, group);
        }
        catch (Exception error) when (group is { Size: > 1 })
        {
            // The other ranks would wait for this one forever: end them all.
            group.Abort(error.Message);
            return 1;
        }
    }

    private static int Train(SampleOptions options, MpiGroup? group)
    {
        bool classification = options.Dataset != "regression";
        Dataset data = MakeData(options);
        (Dataset rest, Dataset test) = data.Split(0.2f, options.Seed);
        (Dataset train, Dataset validation) = rest.Split(0.2f, options.Seed + 1);
        int outputs = classification ? (int)data.Targets.ToArray().Max() + 1 : 1;

        // The model, the loss, the optimizer and the plan: this is all the training there is.
        Sequential model = BuildModel(data.Inputs.Dimension(1), options.Hidden, outputs);
        Loss loss = classification ? new SoftmaxCrossEntropy() : new MeanSquaredError();
        Optimizer optimizer = options.Optimizer switch
        {
            "sgd" => new Sgd(model.Parameters, options.LearningRate, momentum: 0.9f),
            "adamw" => new AdamW(model.Parameters, options.LearningRate),
            _ => new Adam(model.Parameters, options.LearningRate),
        };
        var trainer = new Trainer(model, loss, optimizer, new TrainerOptions
        {
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            AccumulationSteps = options.Accumulation,
            Seed = options.Seed,
            Metrics = group is not null ? [] : classification ? [MetricNames.F1] : [MetricNames.RootMeanSquaredError, MetricNames.R2],
            DataParallel = group,
        });
        if (group is { Rank: not 0 })
        {
            // Every rank trains; rank 0 alone reports and writes.
            trainer.Fit(train, validation);
            return 0;
        }

        string ranks = group is null ? string.Empty : $", {group.Size} ranks";
        AnsiConsole.MarkupLine($"[bold]TinyNet[/] MLP on [bold]{options.Dataset}[/]: {train.Count} training, {validation.Count} validation, {test.Count} test samples; GEMM kernel {Gemm.Kernel}, {KernelOptions.MaxDegreeOfParallelism} thread(s){ranks}.");
        AnsiConsole.WriteLine(model.Summary(data.Inputs.Dimension(1)));
        AnsiConsole.MarkupLine($"[bold]Plan:[/] {Markup.Escape(trainer.Plan(train.Count).ToString())}");

        (TrainingResult result, TimeSpan time) = SampleReport.Train(trainer, train, validation);
        EvaluationResult evaluation = trainer.Evaluate(test);
        Directory.CreateDirectory(options.Output);
        var written = new List<string>(Plots.Draw(options.Output, result.History, model, data, classification));
        written.AddRange(SampleReport.SaveModel(model, options.Output, data.Inputs.Dimension(1)));
        SampleReport.Print(result, evaluation, time, trainer.Plan(train.Count).BatchSize, classification, written);
        return 0;
    }

    private static Dataset MakeData(SampleOptions options) => options.Dataset switch
    {
        "moons" => SyntheticData.Moons(options.Samples, noise: 0.1f, seed: options.Seed),
        "blobs" => SyntheticData.Blobs(options.Samples / 3, classes: 3, seed: options.Seed),
        "regression" => SyntheticData.Regression(options.Samples, noise: 0.05f, seed: options.Seed),
        _ => SyntheticData.Spirals(options.Samples / 2, noise: 0.02f, seed: options.Seed),
    };

    private static Sequential BuildModel(int inputs, int[] hidden, int outputs)
    {
        var layers = new List<Layer>();
        int width = inputs;
        foreach (int size in hidden)
        {
            layers.Add(new Linear(width, size));
            layers.Add(new ReLU());
            width = size;
        }

        layers.Add(new Linear(width, outputs));
        return new Sequential([.. layers]);
    }
}
