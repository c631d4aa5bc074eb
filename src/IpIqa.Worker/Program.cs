using IpIqa.Core.Errors;
using IpIqa.Worker.Hosting;
using IpIqa.Worker.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

if (WorkerArguments.AsksForHelp(args))
{
    Console.Out.Write(WorkerArguments.Usage);
    return 0;
}

if (WorkerArguments.FindMistake(args) is { } mistake)
{
    await Console.Error.WriteLineAsync($"error: {mistake} (ipiqa-worker --help lists the options)");
    return ExitCodes.Usage;
}

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
    // Options are validated here, before the host starts: a bad setting is reported below as one line,
    // not also logged by the host's start with a stack trace.
    host.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
    // The hosted services are built here, as the host's start would build them, so the model loads here too:
    // an execution provider that cannot start is reported below as one line, not logged with a stack trace.
    _ = host.Services.GetServices<IHostedService>();
    var state = host.Services.GetRequiredService<WorkerState>();
    await host.RunAsync();
    return state.ExitCode;
}
catch (Exception ex) when (StartupFailure.TryDescribe(ex, out var message))
{
    await Console.Error.WriteLineAsync(message);
    return ExitCodes.Usage;
}
