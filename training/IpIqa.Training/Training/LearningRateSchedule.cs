namespace IpIqa.Training.Training;

/// <summary>
/// The learning rate at an optimiser step: a linear warmup from 0 over <c>warmup_steps</c>, then either the
/// peak (<c>constant</c>, the official configs) or a cosine from the peak to <c>min_lr</c> at the last step.
/// </summary>
public sealed record LearningRateSchedule(string Kind, double Peak, double Floor, int WarmupSteps, int TotalSteps)
{
    public static LearningRateSchedule From(TrainingOptions options, int totalSteps) =>
        new(options.Schedule, options.LearningRate, options.MinLearningRate, options.WarmupSteps, Math.Max(totalSteps, 1));

    /// <summary>Learning rate of step <paramref name="step"/> (0-based).</summary>
    public double At(int step)
    {
        if (step < WarmupSteps)
        {
            return Peak * (step + 1) / WarmupSteps;
        }

        if (Kind == TrainingOptions.ScheduleConstant || TotalSteps <= WarmupSteps + 1)
        {
            return Peak;
        }

        var progress = Math.Clamp((double)(step - WarmupSteps) / (TotalSteps - WarmupSteps - 1), 0, 1);
        return Floor + (0.5 * (Peak - Floor) * (1 + Math.Cos(Math.PI * progress)));
    }
}
