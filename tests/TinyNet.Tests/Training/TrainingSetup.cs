using TinyNet.Data;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Optimizers;
using TinyNet.Training;

namespace TinyNet.Tests.Training;

/// <summary>Small models and datasets for trainer tests.</summary>
internal static class TrainingSetup
{
    /// <summary>A regression dataset of <paramref name="count"/> samples, [count, 3] -> [count, 2].</summary>
    public static Dataset Regression(int count, int seed = 1) =>
        new(TestData.Random(seed, 1f, count, 3), TestData.Random(seed + 100, 1f, count, 2));

    public static Sequential Model(int seed = 1) => new(new Linear(3, 8, seed: seed), new Tanh(), new Linear(8, 2, seed: seed + 1));

    public static Trainer Trainer(Layer model, TrainerOptions options, Func<IEnumerable<Parameter>, Optimizer>? optimizer = null) =>
        new(model, new MeanSquaredError(), (optimizer ?? (p => new Sgd(p, 0.05f)))(model.Parameters), options);

    public static float[] Weights(Layer model) => model.Parameters.SelectMany(p => p.Value.ToArray()).ToArray();
}
