using System.Buffers.Binary;
using TinyNet.Layers;
using TinyNet.Serialization;

namespace TinyNet.Tests.Serialization;

/// <summary>
/// Model files and PyTorch state dicts are the same thing: a model saved by TinyNet loads into
/// the equivalent <c>torch.nn.Sequential</c> with <c>load_state_dict(strict=True)</c>, a state dict
/// written by PyTorch loads into TinyNet, and both compute the same outputs. Needs a python3 with
/// torch (Debian: <c>apt-get install python3-torch</c>, which CI installs); skipped otherwise.
/// </summary>
[TestFixture]
public sealed class PyTorchInteropTests : TemporaryFolder
{
    private const int Rows = 9;
    private static readonly Lazy<string?> s_python = new(FindPython);

    [Test]
    public void A_model_saved_by_TinyNet_loads_strictly_into_PyTorch_and_computes_the_same_outputs()
    {
        string python = PythonOrIgnore();
        Sequential model = Model(seed: 3);
        string path = Path.Combine(Folder, "tinynet.safetensors");
        model.Save(path);
        Tensor inputs = TestData.Random(5, 2f, Rows, 4);

        float[] torch = RunTorch(python, "load", "mlp", path, inputs);
        AssertClose(torch, model.Predict(inputs).ToArray());
    }

    [Test]
    public void A_CNN_with_BatchNorm_and_LayerNorm_round_trips_both_ways()
    {
        string python = PythonOrIgnore();
        Tensor images = TestData.Random(7, 1f, Rows, 1, 12, 12);

        // TinyNet -> PyTorch, after some training so the running statistics have moved.
        Sequential model = Cnn(seed: 1);
        var trainer = new TinyNet.Training.Trainer(model, new TinyNet.Losses.SoftmaxCrossEntropy(), new TinyNet.Optimizers.Adam(model.Parameters, 0.01f), new TinyNet.Training.TrainerOptions { BatchSize = 4 });
        trainer.Fit(new TinyNet.Data.Dataset(TestData.Random(8, 1f, 12, 1, 12, 12), Tensor.FromArray([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 12)));
        string saved = Path.Combine(Folder, "tinynet-cnn.safetensors");
        model.Save(saved);
        AssertClose(RunTorch(python, "load", "cnn", saved, images), model.Predict(images).ToArray());

        // PyTorch -> TinyNet, num_batches_tracked written as PyTorch's int64.
        string written = Path.Combine(Folder, "torch-cnn.safetensors");
        float[] torch = RunTorch(python, "save", "cnn", written, images);
        Sequential loaded = Cnn(seed: 5);
        loaded.Load(written);
        Assert.That(loaded.Buffers.Single(b => b.Name == "1.num_batches_tracked").Value.ToArray(), Is.EqualTo(new[] { 3f }));
        AssertClose(torch, loaded.Predict(images).ToArray());
    }

    [Test]
    public void A_state_dict_written_by_PyTorch_loads_into_TinyNet_and_computes_the_same_outputs()
    {
        string python = PythonOrIgnore();
        string path = Path.Combine(Folder, "torch.safetensors");
        Tensor inputs = TestData.Random(6, 2f, Rows, 4);
        float[] torch = RunTorch(python, "save", "mlp", path, inputs);

        Sequential model = Model(seed: 11);
        ModelFileInfo info = model.Load(path);
        Assert.That(info.Standardizer, Is.Null);
        AssertClose(torch, model.Predict(inputs).ToArray());
    }

    /// <summary>The TinyNet twin of torch_interop.py's reference_model("cnn").</summary>
    private static Sequential Cnn(int seed) => new(
        new Conv2d(1, 4, 3, padding: 1, seed: seed),
        new BatchNorm2d(4),
        new ReLU(),
        new MaxPool2d(2),
        new Conv2d(4, 6, 3, stride: 2, bias: false, seed: seed + 1),
        new AvgPool2d(2),
        new Flatten(),
        new Linear(6, 5, seed: seed + 2),
        new LayerNorm(5),
        new Linear(5, 3, seed: seed + 3));

    /// <summary>The TinyNet twin of torch_interop.py's reference_model("mlp").</summary>
    private static Sequential Model(int seed) => new(
        new Linear(4, 16, seed: seed),
        new ReLU(),
        new Linear(16, 8, seed: seed + 1),
        new Gelu(GeluApproximation.Tanh),
        new Sequential(new Linear(8, 8, seed: seed + 2), new Tanh()),
        new Linear(8, 3, bias: false, seed: seed + 3));

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within((1e-5f * Math.Abs(expected[i])) + 1e-6f), $"element {i}");
        }
    }

    private float[] RunTorch(string python, string mode, string kind, string modelPath, Tensor inputs)
    {
        string inputPath = Path.Combine(Folder, "inputs.f32");
        string outputPath = Path.Combine(Folder, "outputs.f32");
        File.WriteAllBytes(inputPath, Bytes(inputs.ToArray()));
        string script = Path.Combine(AppContext.BaseDirectory, "Serialization", "torch_interop.py");
        (int exit, string output) = Run(python, script, mode, kind, modelPath, inputPath, Rows.ToString(System.Globalization.CultureInfo.InvariantCulture), outputPath);
        Assert.That(exit, Is.Zero, output);
        byte[] bytes = File.ReadAllBytes(outputPath);
        float[] values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        }

        return values;
    }

    private static byte[] Bytes(float[] values)
    {
        byte[] bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    private static string PythonOrIgnore()
    {
        string? python = s_python.Value;
        if (python is null)
        {
            Assert.Ignore("No python3 with torch was found (tried $TINYNET_PYTHON, /usr/bin/python3 and python3 on the PATH); on Debian, apt-get install python3-torch.");
        }

        return python;
    }

    /// <summary>The first python that imports torch: $TINYNET_PYTHON, Debian's /usr/bin/python3 (where python3-torch installs), then python3 on the PATH.</summary>
    private static string? FindPython()
    {
        string?[] candidates = [Environment.GetEnvironmentVariable("TINYNET_PYTHON"), "/usr/bin/python3", "python3"];
        foreach (string? candidate in candidates)
        {
            if (string.IsNullOrEmpty(candidate))
            {
                continue;
            }

            try
            {
                if (Run(candidate, "-c", "import torch").Exit == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed.
            }
        }

        return null;
    }

    private static (int Exit, string Output) Run(string program, params string[] arguments) =>
        ExternalProcess.Run(program, arguments, TimeSpan.FromMinutes(2));
}
