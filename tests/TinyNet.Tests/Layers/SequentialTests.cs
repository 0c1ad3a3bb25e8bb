using TinyNet.Diagnostics;
using TinyNet.Layers;

namespace TinyNet.Tests.Layers;

[TestFixture]
public sealed class SequentialTests
{
    [Test]
    public void Parameters_are_named_by_position_like_a_PyTorch_state_dict()
    {
        var model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3), new Sequential(new Tanh(), new Linear(3, 2, bias: false)));
        Assert.That(
            model.Parameters.Select(p => p.Name),
            Is.EqualTo(new[] { "0.weight", "0.bias", "2.weight", "2.bias", "3.1.weight" }).AsCollection);
        Assert.That(model.Parameters[0].Value, Is.SameAs(((Linear)model.Layers[0]).Weight.Value), "the tensors are shared, not copied");
    }

    [Test]
    public void Forward_composes_the_layers_in_order()
    {
        var first = new Linear(3, 4, seed: 1);
        var second = new Linear(4, 2, seed: 2);
        var model = new Sequential(new Linear(3, 4, seed: 1), new ReLU(), new Linear(4, 2, seed: 2));
        Tensor input = TestData.Random(3, 1f, 5, 3);
        float[] expected = second.Forward(new ReLU().Forward(first.Forward(input))).ToArray();
        Assert.That(model.Forward(input).ToArray(), Is.EqualTo(expected).AsCollection);
    }

    [TestCase(1)]
    [TestCase(6)]
    public void A_whole_MLP_passes_a_finite_difference_check(int batch)
    {
        var model = new Sequential(new Linear(5, 7, seed: 1), new Tanh(), new Linear(7, 6, seed: 2), new Gelu(), new Linear(6, 3, seed: 3));
        GradientCheckResult result = GradientChecker.CheckLayer(model, TestData.Random(4, 1f, batch, 5), maxElementsPerTensor: 100);
        Assert.That(result.Passed(), Is.True, result.ToString());
    }

    [Test]
    public void IsTraining_is_set_for_the_whole_model()
    {
        var dropout = new Dropout(0.5f);
        var model = new Sequential(new Linear(2, 2), new Sequential(dropout));
        model.IsTraining = false;
        Assert.That(dropout.IsTraining, Is.False);
        model.IsTraining = true;
        Assert.That(dropout.IsTraining, Is.True);
    }

    [Test]
    public void Without_input_gradient_the_first_layer_skips_its_input_product()
    {
        var model = new Sequential(new Linear(3, 4, seed: 1), new ReLU(), new Linear(4, 2, seed: 2)) { RequiresInputGradient = false };
        model.Forward(TestData.Random(1, 1f, 2, 3));
        Assert.That(model.Backward(TestData.Random(2, 1f, 2, 2)).Length, Is.Zero);
        Assert.That(model.Parameters[0].Gradient.ToArray(), Has.Some.Not.EqualTo(0f), "the first layer's weights still get gradients");
    }

    [Test]
    public void It_prints_its_layers_like_PyTorch()
    {
        var model = new Sequential(new Linear(784, 128), new ReLU(), new Dropout(0.5f), new Linear(128, 10));
        Assert.That(model.ToString(), Is.EqualTo(
            "Sequential(\n" +
            "  (0): Linear(inFeatures: 784, outFeatures: 128, bias: true)\n" +
            "  (1): ReLU()\n" +
            "  (2): Dropout(probability: 0.5)\n" +
            "  (3): Linear(inFeatures: 128, outFeatures: 10, bias: true)\n" +
            ")"));
    }

    [Test]
    public void Consecutive_layers_that_do_not_fit_fail_with_the_shapes()
    {
        var model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(6, 2));
        var ex = Assert.Throws<ArgumentException>(() => model.Forward(new Tensor(3, 4)));
        Assert.That(ex!.Message, Does.Contain("Linear(inFeatures: 6").And.Contain("[3, 8]"));
    }

    [Test]
    public void No_layers_a_null_layer_or_a_layer_twice_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => _ = new Sequential());
        Assert.Throws<ArgumentException>(() => _ = new Sequential(new ReLU(), null!));
        var relu = new ReLU();
        var ex = Assert.Throws<ArgumentException>(() => _ = new Sequential(relu, new Linear(2, 2), relu));
        Assert.That(ex!.Message, Does.Contain("layers[2]").And.Contain("layers[0]"));
    }

    [Test]
    public void A_training_step_of_an_MLP_allocates_nothing_in_the_steady_state()
    {
        var model = new Sequential(new Linear(20, 32), new ReLU(), new Linear(32, 10));
        Tensor input = TestData.Random(1, 1f, 16, 20);
        Tensor last = TestData.Random(2, 1f, 3, 20);
        Tensor gradient = TestData.Random(3, 1f, 16, 10);
        Tensor lastGradient = TestData.Random(4, 1f, 3, 10);
        void Epoch()
        {
            model.Forward(input);
            model.Backward(gradient);
            model.Forward(last);
            model.Backward(lastGradient);
        }

        Epoch();
        Assert.That(TestData.AllocatedBytes(Epoch, 10), Is.Zero);
    }
}
