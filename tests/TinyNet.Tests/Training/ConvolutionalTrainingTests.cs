using TinyNet.Data;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Optimizers;
using TinyNet.Serialization;

namespace TinyNet.Tests.Training;

/// <summary>The layers of small CNNs working together in the trainer, the checkpoints and the model files.</summary>
[TestFixture]
public sealed class ConvolutionalTrainingTests : TemporaryFolder
{
    [Test]
    public void A_small_CNN_learns_the_synthetic_shapes()
    {
        Dataset train = SyntheticData.Shapes(200, size: 16, seed: 1);
        Dataset test = SyntheticData.Shapes(100, size: 16, seed: 2);
        Sequential model = Cnn(seed: 1);
        var trainer = new TinyNet.Training.Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.Parameters, 0.005f), new TinyNet.Training.TrainerOptions { Epochs = 8, BatchSize = 32, Seed = 3 });
        trainer.Fit(train);

        TinyNet.Training.EvaluationResult result = trainer.Evaluate(test);
        Assert.That(result.Accuracy, Is.GreaterThanOrEqualTo(0.97f), result.ConfusionMatrix!.ToString());
    }

    [Test]
    public void A_resumed_CNN_with_BatchNorm_is_bitwise_the_run_straight_through()
    {
        Dataset data = SyntheticData.Shapes(20, size: 12, seed: 4);
        (Sequential straight, TinyNet.Training.Trainer straightTrainer) = Make(seed: 1, maxSteps: 12);
        straightTrainer.Fit(data);

        (_, TinyNet.Training.Trainer first) = Make(seed: 1, maxSteps: 5);
        first.Fit(data);
        string path = Path.Combine(Folder, "cnn.safetensors");
        first.SaveCheckpoint(path);
        (Sequential resumed, TinyNet.Training.Trainer second) = Make(seed: 7, maxSteps: 12);
        second.LoadCheckpoint(path);
        second.Fit(data);

        Assert.That(State(resumed), Is.EqualTo(State(straight)).AsCollection, "parameters and running statistics");
    }

    [Test]
    public void A_model_file_keeps_the_running_statistics()
    {
        Sequential model = Cnn(seed: 2, batchNorm: true);
        var trainer = new TinyNet.Training.Trainer(model, new SoftmaxCrossEntropy(), new Sgd(model.Parameters, 0.01f), new TinyNet.Training.TrainerOptions { BatchSize = 16 });
        trainer.Fit(SyntheticData.Shapes(8, size: 16, seed: 5));
        string path = Path.Combine(Folder, "model.safetensors");
        model.Save(path);

        Sequential other = Cnn(seed: 9, batchNorm: true);
        other.Load(path);
        Assert.That(State(other), Is.EqualTo(State(model)).AsCollection);
        Assert.That(SafeTensorsFile.Read(path).Tensors.Select(t => t.Key), Does.Contain("1.running_mean").And.Contain("1.num_batches_tracked"));
        Tensor images = SyntheticData.Shapes(2, size: 16, seed: 6).Inputs;
        Assert.That(other.Predict(images).ToArray(), Is.EqualTo(model.Predict(images).ToArray()));
    }

    [Test]
    public void A_CNN_training_step_allocates_nothing()
    {
        Sequential model = Cnn(seed: 3, batchNorm: true);
        model.RequiresInputGradient = false;
        var loss = new SoftmaxCrossEntropy();
        var optimizer = new Adam(model.Parameters);
        Dataset data = SyntheticData.Shapes(4, size: 16, seed: 8);

        void Step()
        {
            loss.Forward(model.Forward(data.Inputs), data.Targets);
            model.Backward(loss.Backward());
            optimizer.Step();
            optimizer.ZeroGrad();
        }

        Step();
        Assert.That(TestData.AllocatedBytes(Step, times: 5), Is.Zero);
    }

    private static (Sequential Model, TinyNet.Training.Trainer Trainer) Make(int seed, long maxSteps)
    {
        Sequential model = Cnn(seed, batchNorm: true, size: 12);
        return (model, new TinyNet.Training.Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.Parameters, 0.01f), new TinyNet.Training.TrainerOptions
        {
            Epochs = 10,
            BatchSize = 16,
            AccumulationSteps = 2,
            MaxSteps = maxSteps,
            Seed = 3,
        }));
    }

    private static float[] State(Layer model) =>
        [.. model.Parameters.SelectMany(p => p.Value.ToArray()), .. model.Buffers.SelectMany(b => b.Value.ToArray())];

    private static Sequential Cnn(int seed, bool batchNorm = false, int size = 16)
    {
        var layers = new List<Layer> { new Conv2d(1, 8, 3, padding: 1, seed: seed) };
        if (batchNorm)
        {
            layers.Add(new BatchNorm2d(8));
        }

        layers.AddRange([new ReLU(), new MaxPool2d(2), new Conv2d(8, 16, 3, padding: 1, seed: seed + 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(16 * (size / 4) * (size / 4), 4, seed: seed + 2)]);
        return new Sequential([.. layers]);
    }
}
