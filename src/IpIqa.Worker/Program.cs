using IpIqa.Worker.Hosting;
using IpIqa.Worker.Scoring;
using Microsoft.Extensions.Hosting;

try
{
    // appsettings.json ships beside the binary; relative paths in it (samples/, models/demo) resolve against the working directory.
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
    {
        Args = WorkerArguments.Normalise(args),
        ContentRootPath = AppContext.BaseDirectory,
    });
    builder.AddIpIqaWorker();
    builder.AddIpIqaScoring();
    using var host = builder.Build();
    await host.RunAsync();
    return Environment.ExitCode;
}
catch (Exception ex) when (StartupFailure.TryDescribe(ex, out var message))
{
    await Console.Error.WriteLineAsync(message);
    return 2;
}
