using TinyNet.Optimizers;

namespace TinyNet.Tests.Optimizers;

[TestFixture]
public sealed class ScheduleTests
{
    [Test]
    public void Constant_is_constant()
    {
        var schedule = new ConstantSchedule(0.3f);
        Assert.That(new[] { 0L, 1, 1000 }.Select(schedule.GetLearningRate), Is.All.EqualTo(0.3f));
    }

    [Test]
    public void Step_decay_drops_by_gamma_every_step_size_steps()
    {
        var schedule = new StepDecaySchedule(1f, stepSize: 10, gamma: 0.5f);
        Assert.That(new[] { 0L, 9, 10, 19, 20, 35 }.Select(schedule.GetLearningRate), Is.EqualTo(new[] { 1f, 1f, 0.5f, 0.5f, 0.25f, 0.125f }).AsCollection);
    }

    [Test]
    public void Exponential_multiplies_by_gamma_each_step()
    {
        var schedule = new ExponentialSchedule(2f, 0.9f);
        Assert.That(schedule.GetLearningRate(3), Is.EqualTo(2 * 0.9 * 0.9 * 0.9).Within(1e-6));
    }

    [Test]
    public void Cosine_goes_from_the_rate_to_the_minimum_through_the_midpoint()
    {
        var schedule = new CosineAnnealingSchedule(1f, totalSteps: 100, minimumLearningRate: 0.1f);
        Assert.That(schedule.GetLearningRate(0), Is.EqualTo(1f));
        Assert.That(schedule.GetLearningRate(50), Is.EqualTo(0.55f).Within(1e-6));
        Assert.That(schedule.GetLearningRate(100), Is.EqualTo(0.1f));
        Assert.That(schedule.GetLearningRate(500), Is.EqualTo(0.1f));
    }

    [Test]
    public void Warmup_climbs_linearly_then_hands_over()
    {
        var schedule = new WarmupSchedule(4, new StepDecaySchedule(0.8f, stepSize: 2, gamma: 0.5f));
        Assert.That(
            new[] { 0L, 1, 2, 3, 4, 5, 6 }.Select(schedule.GetLearningRate),
            Is.EqualTo(new[] { 0.2f, 0.4f, 0.6f, 0.8f, 0.8f, 0.8f, 0.4f }).Within(1e-6).AsCollection);
    }

    [Test]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(1f).GetLearningRate(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ConstantSchedule(float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new StepDecaySchedule(1f, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ExponentialSchedule(1f, 1.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CosineAnnealingSchedule(0.1f, 10, minimumLearningRate: 0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new WarmupSchedule(0, new ConstantSchedule(1f)));
    }
}
