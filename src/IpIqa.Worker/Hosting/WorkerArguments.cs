namespace IpIqa.Worker.Hosting;

/// <summary>Command-line shorthands: <c>--drain</c> means <c>--IpIqa:Local:Drain=true</c>.</summary>
public static class WorkerArguments
{
    public static string[] Normalise(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return [.. args.Select(a => a == "--drain" ? "--IpIqa:Local:Drain=true" : a)];
    }
}
