using TinyNet.Training;
using TinyNet.Training.Callbacks;

namespace TinyNet.Tests.Training;

[TestFixture]
public sealed class CallbackTests
{
    [Test]
    public void CsvLogger_writes_a_header_and_one_row_per_epoch()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tinynet-{Guid.NewGuid():N}.csv");
        try
        {
            Trainer trainer = TrainingSetup.Trainer(TrainingSetup.Model(), new TrainerOptions { BatchSize = 10, Epochs = 3 });
            trainer.Callbacks.Add(new CsvLogger(path));
            trainer.Fit(TrainingSetup.Regression(40), TrainingSetup.Regression(10, seed: 3));
            string[] lines = File.ReadAllLines(path);
            Assert.That(lines, Has.Length.EqualTo(4));
            Assert.That(lines[0], Is.EqualTo("epoch,steps,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate"));
            Assert.That(lines[3], Does.StartWith("3,12,"));
            Assert.That(lines.Skip(1).Select(l => l.Split(',').Length), Is.All.EqualTo(7));
            Assert.That(File.Exists(path + ".tmp"), Is.False, "the temporary file was moved into place");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ProgressReporter_writes_one_plain_line_per_epoch_when_redirected()
    {
        var output = new StringWriter();
        Trainer trainer = TrainingSetup.Trainer(TrainingSetup.Model(), new TrainerOptions { BatchSize = 10, Epochs = 2 });
        trainer.Callbacks.Add(new ProgressReporter(output, inPlace: false));
        trainer.Fit(TrainingSetup.Regression(30));
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[1], Does.Match(@"^epoch 2/2 \| batch 3/3 \| step 6/6 \| loss \d+\.\d{4} \| [\d,]+ samples/s \| ETA 0:00$"));
    }

    [Test]
    public void EarlyStopping_rejects_bad_settings_and_needs_its_value()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new EarlyStopping(patience: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new EarlyStopping(minDelta: -1f));
        Assert.That(new EarlyStopping(MonitoredValue.ValidationAccuracy).Mode, Is.EqualTo(MonitorMode.Max));
        Trainer trainer = TrainingSetup.Trainer(TrainingSetup.Model(), new TrainerOptions { BatchSize = 10 });
        trainer.Callbacks.Add(new EarlyStopping(MonitoredValue.ValidationLoss));
        var ex = Assert.Throws<InvalidOperationException>(() => trainer.Fit(TrainingSetup.Regression(20)));
        Assert.That(ex!.InnerException!.Message, Does.Contain("pass a validation set"));
    }
}
