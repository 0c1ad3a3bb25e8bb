using System.Text.RegularExpressions;
using TinyNet.Diagnostics;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Optimizers;
using TinyNet.Training;

namespace TinyNet.Tests.Readme;

/// <summary>
/// The code blocks of the README and of docs/ are files of this repository: each block follows a marker
/// <c>&lt;!-- snippet: path --&gt;</c> and must equal that file, which is compiled (here, or as the
/// package consumer CI builds and runs). So the README cannot show code that does not build.
/// </summary>
[TestFixture]
public sealed partial class ReadmeTests
{
    private static readonly string s_root = FindRoot();

    [Test]
    public void Every_code_block_in_the_README_and_the_docs_is_a_file_that_is_compiled()
    {
        string[] documents = [Path.Combine(s_root, "README.md"), .. Directory.GetFiles(Path.Combine(s_root, "docs"), "*.md")];
        var shown = new List<string>();
        foreach (string document in documents)
        {
            string text = File.ReadAllText(document);
            MatchCollection snippets = Snippet().Matches(text);
            foreach (Match snippet in snippets)
            {
                string path = snippet.Groups["path"].Value;
                string file = File.ReadAllText(Path.Combine(s_root, path)).ReplaceLineEndings("\n").Trim();
                Assert.That(snippet.Groups["code"].Value.ReplaceLineEndings("\n").Trim(), Is.EqualTo(file), $"{Path.GetFileName(document)}: {path}");
                shown.Add(path);
            }

            int blocks = Regex.Matches(text, "^```csharp", RegexOptions.Multiline).Count;
            Assert.That(blocks, Is.EqualTo(snippets.Count), $"every C# block of {Path.GetFileName(document)} has a snippet marker");
        }

        Assert.That(shown, Is.SupersetOf(new[]
        {
            "tests/PackageConsumer/Program.cs",
            "tests/TinyNet.Tests/Readme/FeatureScale.cs",
            "tests/TinyNet.Tests/Readme/StopBelowLoss.cs",
            "tests/TinyNet.Tests/Readme/OnnxRuntimeExample.cs",
        }));
    }

    [Test]
    public void The_custom_layer_example_passes_the_gradient_check_and_trains()
    {
        var layer = new FeatureScale(3);
        layer.Parameters[0].Value.AsSpan()[1] = 0.5f;
        GradientCheckResult result = GradientChecker.CheckLayer(layer, TestData.Random(1, 1f, 4, 3));
        Assert.That(result.Passed(), Is.True, result.ToString());

        var model = new Sequential(new FeatureScale(3), new Linear(3, 2, seed: 1));
        Assert.That(model.Parameters.Select(p => p.Name), Does.Contain("0.gamma"));
    }

    [Test]
    public void The_custom_callback_example_stops_training()
    {
        var model = new Sequential(new Linear(3, 8, seed: 1), new Tanh(), new Linear(8, 2, seed: 2));
        var trainer = new Trainer(model, new MeanSquaredError(), new Adam(model.Parameters, 0.01f), new TrainerOptions { BatchSize = 10, Epochs = 500 });
        trainer.Callbacks.Add(new StopBelowLoss(0.3f));
        TrainingResult result = trainer.Fit(new TinyNet.Data.Dataset(TestData.Random(1, 1f, 50, 3), TestData.Random(2, 0.5f, 50, 2)));
        Assert.That(result.StopReason, Is.EqualTo(StopReason.StoppedByCallback));
        Assert.That(result.StopMessage, Does.Contain("is below 0.3"));
    }

    [Test]
    public void The_ONNX_Runtime_example_runs_an_exported_model()
    {
        var model = new Sequential(new Linear(3, 8, seed: 1), new Gelu(), new Linear(8, 2, seed: 2));
        string path = Path.Combine(Path.GetTempPath(), $"tinynet-readme-{Environment.ProcessId}.onnx");
        try
        {
            TinyNet.Onnx.OnnxExporter.Export(model, path, 3);
            Tensor features = TestData.Random(4, 1f, 5, 3);
            float[] onnx = OnnxRuntimeExample.Predict(path, features.ToArray(), featureCount: 3);
            Assert.That(onnx, Is.EqualTo(model.Predict(features).ToArray()).Within(1e-5f));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex(@"<!-- snippet: (?<path>[^ ]+) -->\s*```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Snippet();

    private static string FindRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "TinyNet.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("TinyNet.sln not found above " + AppContext.BaseDirectory);
    }
}
