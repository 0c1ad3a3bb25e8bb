using ScottPlot;
using TinyNet.Training.Callbacks;

namespace TinyNet.Samples;

/// <summary>The pictures every sample draws from its history: the loss by step and epoch, and the accuracy by epoch.</summary>
public static class Curves
{
    public const int Width = 900;
    public const int Height = 600;

    public static string Loss(string folder, History history)
    {
        var plot = new Plot();
        var steps = plot.Add.ScatterLine(history.Steps.Select(s => (double)s.Step).ToArray(), history.Steps.Select(s => (double)s.Loss).ToArray());
        steps.LegendText = "training loss (each step)";
        double[] epochEnds = history.Epochs.Select(e => (double)e.Steps).ToArray();
        var train = plot.Add.ScatterLine(epochEnds, history.Epochs.Select(e => (double)e.TrainLoss).ToArray());
        train.LegendText = "training loss (epoch mean)";
        train.LineWidth = 2;
        if (history.Epochs.All(e => e.ValidationLoss is not null))
        {
            var validation = plot.Add.ScatterLine(epochEnds, history.Epochs.Select(e => (double)e.ValidationLoss!.Value).ToArray());
            validation.LegendText = "validation loss (epoch)";
            validation.LineWidth = 2;
        }

        plot.Axes.SetLimitsY(0, Math.Max(1e-3, history.Steps.Max(s => s.Loss)) * 1.05);
        plot.Title("Loss");
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.ShowLegend();
        return Save(plot, folder, "loss.png");
    }

    public static string Accuracy(string folder, History history)
    {
        var plot = new Plot();
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        var train = plot.Add.ScatterLine(epochs, history.Epochs.Select(e => (double)(e.TrainAccuracy ?? 0)).ToArray());
        train.LegendText = "training accuracy";
        var validation = plot.Add.ScatterLine(epochs, history.Epochs.Select(e => (double)(e.ValidationAccuracy ?? 0)).ToArray());
        validation.LegendText = "validation accuracy";
        plot.Axes.SetLimitsY(0, 1.02);
        plot.Title("Accuracy");
        plot.XLabel("epoch");
        plot.YLabel("accuracy");
        plot.ShowLegend();
        return Save(plot, folder, "accuracy.png");
    }

    public static string Save(Plot plot, string folder, string name, int width = Width, int height = Height)
    {
        string path = Path.GetFullPath(Path.Combine(folder, name));
        plot.SavePng(path, width, height);
        return path;
    }
}
