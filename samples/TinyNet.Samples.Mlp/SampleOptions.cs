namespace TinyNet.Samples.Mlp;

/// <summary>The sample's command-line options, with their defaults.</summary>
public sealed class SampleOptions : ISampleOptions
{
    public const string Help = """
        Trains a small MLP on synthetic data with TinyNet and draws what it learned.

        Usage: dotnet run --project samples/TinyNet.Samples.Mlp -- [options]

        Options:
          --dataset NAME        spirals (default), moons, blobs or regression
          --samples N           samples to generate (default 1200)
          --epochs N            passes over the training set (default 150)
          --batch-size N        samples per batch (default 32)
          --learning-rate X     the optimizer's learning rate (default 0.01)
          --optimizer NAME      adam (default), adamw or sgd (momentum 0.9)
          --accumulation N      iterations per optimizer step (default 1)
          --hidden N,N,...      hidden layer sizes (default 64,64)
          --seed N              seed of the data, the weights and the sample order (default 1)
          --threads N           threads for the matrix kernels (default: all cores)
          --output DIR          folder for the PNG plots, model.safetensors and model.onnx (default: tinynet-output)
          --distributed         train data-parallel over MPI when started by mpirun (each rank
                                takes --batch-size samples of every global batch; rank 0 reports)
          -h, --help            show this text
        """;

    public string Dataset { get; private set; } = "spirals";

    public int Samples { get; private set; } = 1200;

    public int Epochs { get; private set; } = 150;

    public int BatchSize { get; private set; } = 32;

    public float LearningRate { get; private set; } = 0.01f;

    public string Optimizer { get; private set; } = "adam";

    public int Accumulation { get; private set; } = 1;

    public int[] Hidden { get; private set; } = [64, 64];

    public int Seed { get; private set; } = 1;

    public int? Threads { get; private set; }

    public string Output { get; private set; } = "tinynet-output";

    public bool Distributed { get; private set; }

    public bool ShowHelp { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static SampleOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SampleOptions();
        options.ShowHelp = ArgumentReader.Read(args, (name, value) =>
        {
            switch (name)
            {
                case "--dataset": options.Dataset = ArgumentReader.OneOf(name, value, "spirals", "moons", "blobs", "regression"); break;
                case "--samples": options.Samples = ArgumentReader.Whole(name, value, 10); break;
                case "--epochs": options.Epochs = ArgumentReader.Whole(name, value, 1); break;
                case "--batch-size": options.BatchSize = ArgumentReader.Whole(name, value, 1); break;
                case "--learning-rate": options.LearningRate = ArgumentReader.Positive(name, value); break;
                case "--optimizer": options.Optimizer = ArgumentReader.OneOf(name, value, "adam", "adamw", "sgd"); break;
                case "--accumulation": options.Accumulation = ArgumentReader.Whole(name, value, 1); break;
                case "--hidden": options.Hidden = value.Split(',').Select(part => ArgumentReader.Whole(name, part, 1)).ToArray(); break;
                case "--seed": options.Seed = ArgumentReader.Whole(name, value, int.MinValue); break;
                case "--threads": options.Threads = ArgumentReader.Whole(name, value, 1); break;
                case "--output": options.Output = ArgumentReader.Folder(name, value); break;
                case "--distributed": options.Distributed = true; break;
                default: return false;
            }

            return true;
        }, "--distributed");
        return options;
    }
}
