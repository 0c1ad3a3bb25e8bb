using ScottPlot;
using TinyNet.Data;
using TinyNet.Layers;
using TinyNet.Training.Callbacks;

namespace TinyNet.Samples.Mlp;

/// <summary>The pictures: loss and accuracy curves, and what the model learned over the data.</summary>
public static class Plots
{
    /// <summary>Draws every picture into <paramref name="folder"/> and returns their paths.</summary>
    public static IReadOnlyList<string> Draw(string folder, History history, Layer model, Dataset data, bool classification)
    {
        var files = new List<string> { Curves.Loss(folder, history) };
        if (classification)
        {
            files.Add(Curves.Accuracy(folder, history));
            files.Add(DecisionBoundary(folder, model, data));
        }
        else
        {
            files.Add(Fit(folder, model, data));
        }

        return files;
    }

    /// <summary>The class the model predicts at every point of a grid, with the data on top.</summary>
    private static string DecisionBoundary(string folder, Layer model, Dataset data)
    {
        const int cells = 160;
        float[] points = data.Inputs.ToArray();
        (double xMin, double xMax) = Range(points, 0);
        (double yMin, double yMax) = Range(points, 1);
        var grid = new Tensor(cells * cells, 2);
        Span<float> xy = grid.AsSpan();
        for (int row = 0; row < cells; row++)
        {
            for (int column = 0; column < cells; column++)
            {
                int i = (row * cells) + column;
                xy[2 * i] = (float)(xMin + ((column + 0.5) * (xMax - xMin) / cells));
                xy[(2 * i) + 1] = (float)(yMax - ((row + 0.5) * (yMax - yMin) / cells));
            }
        }

        model.IsTraining = false;
        float[] scores = model.Forward(grid).ToArray();
        model.IsTraining = true;
        int classes = scores.Length / (cells * cells);
        double[,] predicted = new double[cells, cells];
        for (int i = 0; i < cells * cells; i++)
        {
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                best = scores[(i * classes) + c] > scores[(i * classes) + best] ? c : best;
            }

            predicted[i / cells, i % cells] = best;
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(predicted);
        heatmap.Extent = new CoordinateRect(xMin, xMax, yMin, yMax);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Opacity = 0.35;
        float[] labels = data.Targets.ToArray();
        for (int c = 0; c < classes; c++)
        {
            int[] members = Enumerable.Range(0, labels.Length).Where(i => (int)labels[i] == c).ToArray();
            var scatter = plot.Add.ScatterPoints(members.Select(i => (double)points[2 * i]).ToArray(), members.Select(i => (double)points[(2 * i) + 1]).ToArray());
            scatter.MarkerSize = 4;
            scatter.Color = new ScottPlot.Colormaps.Viridis().GetColor(classes == 1 ? 0 : (double)c / (classes - 1));
            scatter.LegendText = $"class {c}";
        }

        plot.Title("Decision boundary");
        plot.ShowLegend();
        return Curves.Save(plot, folder, "decision-boundary.png");
    }

    /// <summary>The model's curve over the regression data.</summary>
    private static string Fit(string folder, Layer model, Dataset data)
    {
        const int points = 400;
        float[] xs = data.Inputs.ToArray();
        (double min, double max) = Range(xs, 0, stride: 1);
        var grid = new Tensor(points, 1);
        for (int i = 0; i < points; i++)
        {
            grid.AsSpan()[i] = (float)(min + (i * (max - min) / (points - 1)));
        }

        model.IsTraining = false;
        float[] curve = model.Forward(grid).ToArray();
        model.IsTraining = true;
        var plot = new Plot();
        var samples = plot.Add.ScatterPoints(xs.Select(x => (double)x).ToArray(), data.Targets.ToArray().Select(y => (double)y).ToArray());
        samples.MarkerSize = 3;
        samples.LegendText = "data";
        var line = plot.Add.ScatterLine(grid.ToArray().Select(x => (double)x).ToArray(), curve.Select(y => (double)y).ToArray());
        line.LineWidth = 3;
        line.LegendText = "model";
        plot.Title("Regression fit");
        plot.ShowLegend();
        return Curves.Save(plot, folder, "fit.png");
    }

    private static (double Min, double Max) Range(float[] values, int offset, int stride = 2)
    {
        double min = double.MaxValue, max = double.MinValue;
        for (int i = offset; i < values.Length; i += stride)
        {
            min = Math.Min(min, values[i]);
            max = Math.Max(max, values[i]);
        }

        double margin = (max - min) * 0.08;
        return (min - margin, max + margin);
    }
}
