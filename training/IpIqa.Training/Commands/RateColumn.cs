using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IpIqa.Training.Commands;

/// <summary>A progress column with the task's rate in items per second (Spectre's own speed column shows bytes).</summary>
internal sealed class RateColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new Text(task.Speed is { } speed ? speed.ToString("F1", CultureInfo.InvariantCulture) + "/s" : "-/s");
    }
}
