using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TinyNet.Data;
using TinyNet.Layers;
using TinyNet.Losses;
using TinyNet.Onnx;
using TinyNet.Optimizers;
using TinyNet.Training;

namespace TinyNet.Tests.Onnx;

/// <summary>Exported models run in ONNX Runtime and give TinyNet's outputs, for every layer and any batch size.</summary>
[TestFixture]
public sealed class OnnxExporterTests : TemporaryFolder
{
    private static IEnumerable<TestCaseData> Models()
    {
        yield return new TestCaseData(new Func<Layer>(() => new Linear(7, 5, seed: 1))).SetArgDisplayNames("Linear");
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(new Linear(7, 5, bias: false, seed: 2)))).SetArgDisplayNames("Linear without bias");
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(new Linear(7, 6, seed: 3), new ReLU()))).SetArgDisplayNames("ReLU");
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(new Linear(7, 6, seed: 4), new LeakyReLU(0.2f)))).SetArgDisplayNames("LeakyReLU");
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(new Linear(7, 6, seed: 5), new Sigmoid()))).SetArgDisplayNames("Sigmoid");
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(new Linear(7, 6, seed: 6), new Tanh()))).SetArgDisplayNames("Tanh");
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(new Linear(7, 6, seed: 7), new Gelu()))).SetArgDisplayNames("Gelu exact");
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(new Linear(7, 6, seed: 8), new Gelu(GeluApproximation.Tanh)))).SetArgDisplayNames("Gelu tanh");
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(new Linear(7, 6, seed: 9), new Dropout(0.5f, seed: 1), new Linear(6, 3, seed: 10)))).SetArgDisplayNames("Dropout");
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(
            new Sequential(new Linear(7, 8, seed: 11), new Tanh()),
            new Sequential(new Sequential(new Linear(8, 4, seed: 12), new Gelu())),
            new Linear(4, 2, seed: 13)))).SetArgDisplayNames("nested Sequential");
    }

    private static IEnumerable<TestCaseData> ConvolutionalModels()
    {
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(new Conv2d(2, 3, 3, stride: 2, padding: 1, seed: 1))), new[] { 2, 7, 6 }).SetArgDisplayNames("Conv2d");
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(new Conv2d(1, 2, 1, bias: false, seed: 2))), new[] { 1, 4, 4 }).SetArgDisplayNames("Conv2d without bias");
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(new MaxPool2d(2), new AvgPool2d(2, stride: 1))), new[] { 3, 9, 7 }).SetArgDisplayNames("pooling");
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(new Flatten(), new Linear(12, 2, seed: 3))), new[] { 3, 2, 2 }).SetArgDisplayNames("Flatten");
        yield return new TestCaseData(new Func<Layer>(() => Trained(new Sequential(new Linear(5, 4, seed: 4), new BatchNorm1d(4)), 5)), new[] { 5 }).SetArgDisplayNames("BatchNorm1d");
        yield return new TestCaseData(new Func<Layer>(() => Trained(new Sequential(new Conv2d(2, 3, 3, seed: 5), new BatchNorm2d(3)), 2, 6, 6)), new[] { 2, 6, 6 }).SetArgDisplayNames("BatchNorm2d");
        yield return new TestCaseData(new Func<Layer>(() => Trained(new Sequential(new Linear(6, 5, seed: 6), new LayerNorm(5)), 6)), new[] { 6 }).SetArgDisplayNames("LayerNorm");
        yield return new TestCaseData(new Func<Layer>(() => new Sequential(
            new Conv2d(1, 4, 3, padding: 1, seed: 7), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
            new Conv2d(4, 6, 3, seed: 8), new ReLU(), new AvgPool2d(2), new Flatten(), new Linear(24, 3, seed: 9))), new[] { 1, 12, 12 }).SetArgDisplayNames("LeNet-style CNN");
    }

    [TestCaseSource(nameof(ConvolutionalModels))]
    public void An_exported_CNN_layer_gives_TinyNets_outputs_in_ONNX_Runtime(Func<Layer> create, int[] sampleShape)
    {
        Layer model = create();
        string path = Path.Combine(Folder, "model.onnx");
        OnnxExporter.Export(model, path, sampleShape);
        using var session = new InferenceSession(path);
        foreach (int batch in new[] { 1, 3, 8 })
        {
            Tensor x = TestData.Random(batch + 20, 2f, [batch, .. sampleShape]);
            AssertClose(Run(session, x.ToArray(), [batch, .. sampleShape]), model.Predict(x).ToArray(), $"batch {batch}");
        }
    }

    [Test]
    public void An_exported_embedding_takes_float_indices()
    {
        var model = new Sequential(new Embedding(10, 4, seed: 1), new Flatten(), new Linear(12, 2, seed: 2));
        string path = Path.Combine(Folder, "embedding.onnx");
        OnnxExporter.Export(model, path, 3);
        using var session = new InferenceSession(path);
        Tensor indices = Tensor.FromArray([0, 9, 3, 3, 1, 7], 2, 3);
        AssertClose(Run(session, indices.ToArray(), [2, 3]), model.Predict(indices).ToArray(), "tokens");
    }

    [TestCaseSource(nameof(Models))]
    public void An_exported_model_gives_TinyNets_outputs_in_ONNX_Runtime(Func<Layer> create)
    {
        Layer model = create();
        string path = Path.Combine(Folder, "model.onnx");
        OnnxExporter.Export(model, path, 7);
        AssertSameOutputs(model, path, 7, [1, 4, 37]);
        Assert.That(model.IsTraining, Is.True, "export leaves the model in training mode as it found it");
    }

    [Test]
    public void A_trained_MLP_gives_the_same_outputs_and_predictions_in_ONNX_Runtime()
    {
        Dataset data = SyntheticData.Spirals(200, noise: 0.02f, seed: 3);
        var model = new Sequential(new Linear(2, 32, seed: 1), new ReLU(), new Dropout(0.1f, seed: 2), new Linear(32, 32, seed: 3), new Gelu(), new Linear(32, 2, seed: 4));
        var trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Adam(model.Parameters, 0.01f), new TrainerOptions { Epochs = 20, BatchSize = 32 });
        trainer.Fit(data);
        string path = Path.Combine(Folder, "mlp.onnx");
        OnnxExporter.Export(model, path, 2);

        AssertSameOutputs(model, path, 2, [1, 16, 400], data.Inputs);
        using var session = new InferenceSession(path);
        float[] onnx = Run(session, data.Inputs.ToArray(), [data.Count, 2]);
        int[] classes = model.PredictClasses(data.Inputs);
        for (int i = 0; i < data.Count; i++)
        {
            Assert.That(onnx[(2 * i) + 1] > onnx[2 * i] ? 1 : 0, Is.EqualTo(classes[i]), $"sample {i}");
        }
    }

    [Test]
    public void The_graph_names_weights_as_the_state_dict_and_has_a_dynamic_batch()
    {
        var model = new Sequential(new Linear(3, 4, seed: 1), new ReLU(), new Sequential(new Linear(4, 2, seed: 2)));
        string path = Path.Combine(Folder, "model.onnx");
        OnnxExporter.Export(model, path, 3);

        global::Onnx.ModelProto proto = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.That(proto.OpsetImport.Single().Version, Is.EqualTo(OnnxExporter.OpsetVersion));
        Assert.That(proto.Graph.Initializer.Select(t => t.Name), Is.EqualTo(new[] { "0.weight", "0.bias", "2.0.weight", "2.0.bias" }));
        Assert.That(proto.Graph.Initializer[0].Dims, Is.EqualTo(new long[] { 4, 3 }));
        Assert.That(proto.Graph.Input.Single().Type.TensorType.Shape.Dim[0].DimParam, Is.EqualTo("batch"));
        Assert.That(proto.Graph.Output.Single().Type.TensorType.Shape.Dim[1].DimValue, Is.EqualTo(2));
        Assert.That(proto.Graph.Node.Select(n => n.OpType), Is.EqualTo(new[] { "Gemm", "Relu", "Gemm", "Identity" }));
    }

    [Test]
    public void A_layer_without_an_ONNX_form_is_named_and_nothing_is_written()
    {
        var model = new Sequential(new Linear(3, 3, seed: 1), new global::FeatureScale(3));
        string path = Path.Combine(Folder, "model.onnx");
        var error = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(model, path, 3));
        Assert.That(error!.Message, Does.Contain("FeatureScale").And.Contain("'1'"));
        Assert.That(Directory.GetFiles(Folder), Is.Empty);
    }

    [Test]
    public void A_sample_shape_that_does_not_fit_is_an_argument_error_and_nothing_is_written()
    {
        var model = new Sequential(new Linear(3, 3, seed: 1));
        string path = Path.Combine(Folder, "model.onnx");
        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, path, 4));
        Assert.That(error!.ParamName, Is.EqualTo("inputShape"));
        Assert.That(error.Message, Does.Contain("[4]").And.Contain("[batch, 3]"));
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, path));
        Assert.That(Directory.GetFiles(Folder), Is.Empty);
    }

    private static void AssertSameOutputs(Layer model, string path, int features, int[] batchSizes, Tensor? inputs = null)
    {
        using var session = new InferenceSession(path);
        foreach (int batch in batchSizes)
        {
            Tensor x = inputs ?? TestData.Random(batch, 2f, batch, features);
            if (x.Dimension(0) != batch)
            {
                x = Tensor.FromArray(x.ToArray().AsSpan(0, batch * features).ToArray(), batch, features);
            }

            AssertClose(Run(session, x.ToArray(), [batch, features]), model.Predict(x).ToArray(), $"batch {batch}");
        }
    }

    private static void AssertClose(float[] actual, float[] expected, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within((1e-5f * Math.Abs(expected[i])) + 1e-6f), $"{what}, element {i}");
        }
    }

    /// <summary>The model after a few training steps, so normalization layers hold running statistics and weights other than their initial ones.</summary>
    private static Sequential Trained(Sequential model, params int[] sampleShape)
    {
        var trainer = new Trainer(model, new MeanSquaredError(), new Adam(model.Parameters, 0.05f), new TrainerOptions { Epochs = 3, BatchSize = 4 });
        Tensor inputs = TestData.Random(11, 2f, [16, .. sampleShape]);
        model.IsTraining = false;
        int[] outputShape = [16, .. model.Forward(new Tensor([1, .. sampleShape])).Shape.Skip(1)];
        model.IsTraining = true;
        trainer.Fit(new Dataset(inputs, TestData.Random(12, 1f, outputShape)));
        return model;
    }

    private static float[] Run(InferenceSession session, float[] input, int[] shape)
    {
        var tensor = new DenseTensor<float>(input, shape);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        return results.Single().AsEnumerable<float>().ToArray();
    }
}
