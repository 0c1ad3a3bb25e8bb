using TinyNet.Layers;
using TinyNet.Serialization;

namespace TinyNet.Tests.Serialization;

[TestFixture]
public sealed class ModelFileTests : TemporaryFolder
{
    [Test]
    public void A_model_saves_and_loads_under_state_dict_names()
    {
        string path = Path.Combine(Folder, "model.safetensors");
        var model = new Sequential(new Linear(4, 8, seed: 1), new ReLU(), new Linear(8, 2, seed: 2));
        model.Save(path);
        var other = new Sequential(new Linear(4, 8, seed: 5), new ReLU(), new Linear(8, 2, seed: 6));
        other.Load(path);
        Assert.That(other.Parameters.SelectMany(p => p.Value.ToArray()), Is.EqualTo(model.Parameters.SelectMany(p => p.Value.ToArray())).AsCollection);
        Assert.That(SafeTensorsFile.Read(path).Tensors.Select(t => t.Key), Is.EqualTo(new[] { "0.weight", "0.bias", "2.weight", "2.bias" }).AsCollection);
    }

    [Test]
    public void Another_architecture_fails_naming_the_tensors_and_changes_nothing()
    {
        string path = Path.Combine(Folder, "model.safetensors");
        new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2)).Save(path);
        var different = new Sequential(new Linear(4, 6, seed: 3), new ReLU(), new Linear(6, 2, seed: 4), new Linear(2, 2, seed: 5));
        float[] before = different.Parameters.SelectMany(p => p.Value.ToArray()).ToArray();
        var ex = Assert.Throws<InvalidDataException>(() => different.Load(path));
        Assert.That(ex!.Message, Does.Contain("'0.weight' is [8, 4] in the file but [6, 4] in the model").And.Contain("missing '3.weight'"));
        Assert.That(different.Parameters.SelectMany(p => p.Value.ToArray()), Is.EqualTo(before).AsCollection);

        var smaller = new Sequential(new Linear(4, 8));
        ex = Assert.Throws<InvalidDataException>(() => smaller.Load(path));
        Assert.That(ex!.Message, Does.Contain("unexpected '2.weight'"));
    }

    [Test]
    public void The_standardizer_and_class_labels_travel_with_the_model_and_the_tensors_stay_the_state_dict()
    {
        string path = Path.Combine(Folder, "model.safetensors");
        var model = new Sequential(new Linear(2, 3, seed: 1));
        var standardizer = new TinyNet.Data.Standardizer([1.5f, -0.1f], [2f, 0.3f]);
        model.Save(path, standardizer, ["cat", "dog", "eel"]);

        ModelFileInfo info = new Sequential(new Linear(2, 3, seed: 2)).Load(path);
        Assert.That(info.Standardizer!.Mean, Is.EqualTo(new[] { 1.5f, -0.1f }));
        Assert.That(info.Standardizer.Scale, Is.EqualTo(new[] { 2f, 0.3f }));
        Assert.That(info.ClassLabels, Is.EqualTo(new[] { "cat", "dog", "eel" }));
        Assert.That(SafeTensorsFile.Read(path).Tensors.Select(t => t.Key), Is.EqualTo(new[] { "0.weight", "0.bias" }).AsCollection);

        model.Save(path);
        info = model.Load(path);
        Assert.That(info.Standardizer, Is.Null);
        Assert.That(info.ClassLabels, Is.Null);
    }

    [Test]
    public void A_checkpoint_is_not_a_model_file()
    {
        string path = Path.Combine(Folder, "checkpoint.safetensors");
        var model = new Sequential(new Linear(2, 3, seed: 1));
        var trainer = new TinyNet.Training.Trainer(model, new TinyNet.Losses.MeanSquaredError(), new TinyNet.Optimizers.Sgd(model.Parameters, 0.1f), new TinyNet.Training.TrainerOptions());
        trainer.SaveCheckpoint(path);
        var ex = Assert.Throws<InvalidDataException>(() => model.Load(path));
        Assert.That(ex!.Message, Does.Contain("not a TinyNet model file"));
    }
}
