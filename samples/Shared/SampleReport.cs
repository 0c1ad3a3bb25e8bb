using System.Diagnostics;
using Spectre.Console;
using TinyNet.Layers;
using TinyNet.Metrics;
using TinyNet.Onnx;
using TinyNet.Serialization;
using TinyNet.Training;

namespace TinyNet.Samples;

/// <summary>What both samples do after training: save the model for deployment and print how the run went.</summary>
public static class SampleReport
{
    /// <summary>The trained model for deployment: its weights as a state dict (model.safetensors) and as an ONNX graph (model.onnx).</summary>
    public static IEnumerable<string> SaveModel(Layer model, string folder, params int[] sampleShape)
    {
        string weights = Path.GetFullPath(Path.Combine(folder, "model.safetensors"));
        model.Save(weights);
        string onnx = Path.GetFullPath(Path.Combine(folder, "model.onnx"));
        OnnxExporter.Export(model, onnx, sampleShape);
        return [weights, onnx];
    }

    /// <summary>The epoch table, the run's counts, the test metrics and confusion matrix, the time, and the files written.</summary>
    public static void Print(TrainingResult result, EvaluationResult test, TimeSpan time, int batchSize, bool classification, IEnumerable<string> written)
    {
        SpectreTrainingView.PrintEpochTable(result.History, classification);
        var summary = new Table().AddColumns("", "");
        summary.HideHeaders();
        summary.AddRow("stop reason", Markup.Escape($"{result.StopReason}: {result.StopMessage}"));
        summary.AddRow("epochs / iterations / steps", $"{result.EpochsCompleted} / {result.IterationsCompleted} / {result.StepsCompleted}");
        summary.AddRow("test loss", $"{test.Loss:F4}");
        if (test.Accuracy is float accuracy)
        {
            summary.AddRow("test accuracy", $"[bold]{accuracy:P2}[/]");
        }

        foreach ((string name, float value) in test.Metrics.Where(m => m.Key != MetricNames.Accuracy))
        {
            summary.AddRow($"test {name}", $"{value:F4}");
        }

        summary.AddRow("time", $"{time.TotalSeconds:F1} s ({result.IterationsCompleted * (double)batchSize / time.TotalSeconds:N0} samples/s)");
        AnsiConsole.Write(summary);
        if (test.ConfusionMatrix is ConfusionMatrix confusion)
        {
            Console.WriteLine("Test confusion matrix:");
            Console.WriteLine(confusion.ToString());
        }

        foreach (string file in written)
        {
            Console.WriteLine($"wrote {file}");
        }
    }

    /// <summary>Trains with the terminal view and returns the result and the time it took.</summary>
    public static (TrainingResult Result, TimeSpan Time) Train(Trainer trainer, TinyNet.Data.Dataset train, TinyNet.Data.Dataset validation)
    {
        var clock = Stopwatch.StartNew();
        TrainingResult result = SpectreTrainingView.Fit(trainer, train, validation);
        return (result, clock.Elapsed);
    }
}
