using TinyNet.Layers;

namespace TinyNet.Tests.Layers;

[TestFixture]
public sealed class SummaryTests
{
    [Test]
    public void Summary_lists_every_layer_with_its_output_shape_and_parameter_count()
    {
        var model = new Sequential(
            new Linear(784, 128, seed: 1),
            new ReLU(),
            new Sequential(new Dropout(0.2f, seed: 1), new Linear(128, 10, bias: false, seed: 2)));
        string summary = model.Summary(784);
        string[] lines = summary.Split('\n');

        Assert.That(lines[0], Does.StartWith("Layer").And.Contain("Output shape").And.EndWith("Parameters"));
        Assert.That(lines[2], Does.StartWith("0: Linear").And.Contain("[batch, 128]").And.EndWith("100,480"));
        Assert.That(lines[3], Does.StartWith("1: ReLU").And.Contain("[batch, 128]").And.EndWith(" 0"));
        Assert.That(lines[4], Does.StartWith("2.0: Dropout").And.Contain("[batch, 128]"));
        Assert.That(lines[5], Does.StartWith("2.1: Linear").And.Contain("[batch, 10]").And.EndWith("1,280"));
        Assert.That(lines[^1], Is.EqualTo("Total parameters: 101,760 (407,040 bytes as fp32)"));
        Assert.That(model.IsTraining, Is.True, "the mode is restored");
    }

    [Test]
    public void A_shape_that_does_not_fit_names_the_argument()
    {
        var model = new Sequential(new Linear(4, 2, seed: 1));
        var error = Assert.Throws<ArgumentException>(() => model.Summary(3));
        Assert.That(error!.ParamName, Is.EqualTo("inputShape"));
        Assert.That(error.Message, Does.Contain("[3]").And.Contain("[batch, 4]"));
        Assert.Throws<ArgumentException>(() => model.Summary());
    }
}
