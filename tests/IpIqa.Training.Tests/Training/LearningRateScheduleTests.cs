using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Warmup_RisesLinearlyToThePeak()
    {
        var schedule = new LearningRateSchedule(TrainingOptions.ScheduleCosine, 1.0, 0.1, 4, 20);

        Assert.Equal([0.25, 0.5, 0.75, 1.0], Enumerable.Range(0, 4).Select(schedule.At));
    }

    [Fact]
    public void Cosine_FallsFromThePeakToTheFloorAtTheLastStep()
    {
        var schedule = new LearningRateSchedule(TrainingOptions.ScheduleCosine, 1.0, 0.1, 0, 11);

        Assert.Equal(1.0, schedule.At(0), 12);
        Assert.Equal(0.55, schedule.At(5), 12);
        Assert.Equal(0.1, schedule.At(10), 12);
        var values = Enumerable.Range(0, 11).Select(schedule.At).ToArray();
        Assert.True(values.Zip(values.Skip(1)).All(p => p.Second < p.First), "the cosine must decrease monotonically");
    }

    [Fact]
    public void Constant_StaysAtThePeakAfterWarmup()
    {
        var schedule = new LearningRateSchedule(TrainingOptions.ScheduleConstant, 1e-5, 0, 2, 100);

        Assert.Equal(5e-6, schedule.At(0), 15);
        Assert.All(Enumerable.Range(2, 98), step => Assert.Equal(1e-5, schedule.At(step)));
    }
}
