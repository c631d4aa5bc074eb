using IpIqa.Training.Data;
using IpIqa.Training.Import;
using IpIqa.Training.Training;

namespace IpIqa.Training.Commands;

/// <summary>Runs a stage at the command boundary: validates, records the options, and turns every failure into a message and an exit code.</summary>
internal static class StageRunner
{
    public static int Run(string stage, StageInputs inputs, Func<TrainingOptions> options, Action<StageInputs, TrainingOptions> run, TextWriter error)
    {
        try
        {
            var resolved = options().Validate();
            Directory.CreateDirectory(inputs.RunFolder);
            File.WriteAllText(Path.Combine(inputs.RunFolder, $"{stage}.options.json"), resolved.ToJson());
            run(inputs, resolved);
            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or DatasetException or CheckpointException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            error.WriteLine($"{stage} failed: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"{stage} cancelled; resume with --resume from {Path.Combine(inputs.RunFolder, TrainingLoop.LatestFolder)}");
            return 130;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The command boundary: a failure inside TorchSharp or libtorch ends the command, not the process.
            error.WriteLine($"{stage} failed ({e.GetType().Name}): {e.Message}");
            return 2;
        }
    }
}
