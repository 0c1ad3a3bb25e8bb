using ScottPlot;
using TinyNet.Data;
using TinyNet.Layers;

namespace TinyNet.Samples.Cnn;

/// <summary>A grid of test images, each with the class the model predicts for it: green when right, red when wrong.</summary>
public static class ImageGrid
{
    private const int Columns = 8;
    private const int Rows = 4;
    private const int Gap = 2;
    private const int LabelSpace = 7;

    public static string Draw(string folder, Layer model, Dataset test, IReadOnlyList<string> classNames)
    {
        int count = Math.Min(Columns * Rows, test.Count);
        int size = test.Inputs.Dimension(2);
        int cell = size + Gap;
        int tileHeight = cell + LabelSpace;
        var images = Tensor.FromArray(test.Inputs.ToArray().AsSpan(0, count * size * size).ToArray(), count, 1, size, size);
        int[] predicted = model.PredictClasses(images);
        float[] pixels = images.ToArray();
        float[] labels = test.Targets.ToArray();

        // One heatmap of every tile, row 0 at the top; the gaps and the label bands are NaN (white).
        double[,] canvas = new double[Rows * tileHeight, Columns * cell];
        for (int y = 0; y < canvas.GetLength(0); y++)
        {
            for (int x = 0; x < canvas.GetLength(1); x++)
            {
                canvas[y, x] = double.NaN;
            }
        }

        var plot = new Plot();
        for (int i = 0; i < count; i++)
        {
            int top = i / Columns * tileHeight;
            int left = i % Columns * cell;
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    canvas[top + y, left + x] = pixels[(i * size * size) + (y * size) + x];
                }
            }

            bool right = predicted[i] == (int)labels[i];
            ScottPlot.Plottables.Text label = plot.Add.Text(classNames[predicted[i]], left + (size / 2.0), canvas.GetLength(0) - (top + size + 1));
            label.LabelFontColor = right ? Colors.DarkGreen : Colors.Red;
            label.LabelFontSize = 13;
            label.LabelBold = !right;
            label.LabelAlignment = Alignment.UpperCenter;
        }

        var heatmap = plot.Add.Heatmap(canvas);
        heatmap.Extent = new CoordinateRect(0, canvas.GetLength(1), 0, canvas.GetLength(0));
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.NaNCellColor = Colors.White;
        plot.MoveToBack(heatmap);
        plot.HideGrid();
        plot.Layout.Frameless();
        plot.Axes.SetLimits(0, canvas.GetLength(1), 0, canvas.GetLength(0));
        int correct = Enumerable.Range(0, count).Count(i => predicted[i] == (int)labels[i]);
        plot.Title($"Test images and the predicted class ({correct} of {count} right)");
        return Curves.Save(plot, folder, "predictions.png", 1000, 620);
    }
}
