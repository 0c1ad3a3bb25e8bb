namespace TinyNet.Samples.Cnn;

/// <summary>The CNN sample's command-line options, with their defaults.</summary>
public sealed class CnnOptions : ISampleOptions
{
    public const string Help = """
        Trains a LeNet-style CNN with TinyNet on synthetic 28 x 28 images of four kinds of stroke
        (horizontal, vertical, diagonal, square) and draws what it learned.

        Usage: dotnet run -c Release --project samples/TinyNet.Samples.Cnn -- [options]

        Options:
          --samples-per-class N   images to generate per class (default 800)
          --epochs N              passes over the training set (default 8)
          --batch-size N          samples per batch (default 64)
          --learning-rate X       Adam's learning rate (default 0.002)
          --seed N                seed of the data, the weights and the sample order (default 1)
          --threads N             threads for the kernels (default: all cores)
          --output DIR            folder for the PNG plots, model.safetensors and model.onnx (default: tinynet-cnn-output)
          -h, --help              show this text
        """;

    public int SamplesPerClass { get; private set; } = 800;

    public int Epochs { get; private set; } = 8;

    public int BatchSize { get; private set; } = 64;

    public float LearningRate { get; private set; } = 0.002f;

    public int Seed { get; private set; } = 1;

    public int? Threads { get; private set; }

    public string Output { get; private set; } = "tinynet-cnn-output";

    public bool ShowHelp { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static CnnOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CnnOptions();
        options.ShowHelp = ArgumentReader.Read(args, (name, value) =>
        {
            switch (name)
            {
                case "--samples-per-class": options.SamplesPerClass = ArgumentReader.Whole(name, value, 10); break;
                case "--epochs": options.Epochs = ArgumentReader.Whole(name, value, 1); break;
                case "--batch-size": options.BatchSize = ArgumentReader.Whole(name, value, 2); break;
                case "--learning-rate": options.LearningRate = ArgumentReader.Positive(name, value); break;
                case "--seed": options.Seed = ArgumentReader.Whole(name, value, int.MinValue); break;
                case "--threads": options.Threads = ArgumentReader.Whole(name, value, 1); break;
                case "--output": options.Output = ArgumentReader.Folder(name, value); break;
                default: return false;
            }

            return true;
        });
        return options;
    }
}
