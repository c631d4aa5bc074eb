using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Worker.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace IpIqa.Worker.Hosting;

/// <summary>
/// Loads the model, then runs the transport with the <see cref="JobProcessor"/> until the host stops.
/// On stop the transport stops receiving and waits for the jobs in flight; if the host's shutdown
/// timeout runs out first, their token fires and they abandon (nothing is completed that is not durable).
/// Either way <see cref="StopAsync"/> returns only once every handler has ended: the host disposes
/// the sinks and clients the handlers settle with as soon as it does.
/// A local drain prints its table and stops the host, with the exit code of <see cref="ExitCodes.Of"/>.
/// </summary>
public sealed partial class WorkerService(
    IServiceProvider services,
    IJobSource source,
    WorkerState state,
    IOptions<TransportOptions> transport,
    IOptions<LocalOptions> local,
    IHostApplicationLifetime lifetime,
    ILogger<WorkerService> logger) : BackgroundService
{
    private const int RedirectedTableWidth = 132;

    /// <summary>
    /// How long the handlers may take to end once the shutdown timeout has fired: a model run that
    /// cannot be cancelled, then each abandon (bounded by <see cref="JobProcessorOptions.SettleOnShutdownTimeout"/>).
    /// Past it the host goes on and disposes the services under them (logged as critical).
    /// </summary>
    private static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(20);

    private readonly CancellationTokenSource _abort = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // base.StopAsync(cancellationToken) would return when the timeout fires, with handlers still running.
        var stopped = base.StopAsync(CancellationToken.None);
        try
        {
            await stopped.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ShutdownTimedOut(logger, source.Name);
            await _abort.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await stopped.WaitAsync(AbortGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            HandlersOutlivedShutdown(logger, AbortGrace);
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            var processor = services.GetRequiredService<JobProcessor>();
            var model = services.GetRequiredService<IImageScorer>().Model;
            state.ModelLoaded = true;
            Started(logger, model.Name, model.Version, model.Hash, source.Name);
            await source.RunAsync(processor, stoppingToken, _abort.Token).ConfigureAwait(false);
            Stopped(logger, source.Name);
            if (transport.Value.Kind == TransportKind.Local && local.Value.Drain && !stoppingToken.IsCancellationRequested)
            {
                var console = AnsiConsole.Console;
                if (Console.IsOutputRedirected)
                {
                    // Piped or captured output has no terminal width; Spectre would assume 80 columns and wrap every name.
                    console.Profile.Width = Math.Max(console.Profile.Width, RedirectedTableWidth);
                }

                var report = services.GetRequiredService<DrainReport>();
                report.Print(console, Path.GetFullPath(local.Value.ResultsPath));
                state.ExitCode = ExitCodes.Of(report.Errors, report.Rejected, local.Value.FailOnVerdict);
                lifetime.StopApplication();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Stopped(logger, source.Name);
        }
        catch (Exception ex)
        {
            state.Failure = ex.Message;
            Failed(logger, ex.Message, ex);
            state.ExitCode = ExitCodes.RunFailed;
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Model {ModelName} {ModelVersion} ({ModelHash}) loaded; receiving from {Transport}")]
    private static partial void Started(ILogger logger, string modelName, string modelVersion, string modelHash, string transport);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Stopped receiving from {Transport}; jobs in flight are settled")]
    private static partial void Stopped(ILogger logger, string transport);

    [LoggerMessage(EventId = 3, Level = LogLevel.Critical, Message = "The worker cannot run: {Reason}")]
    private static partial void Failed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "The shutdown timeout ran out; the jobs still in flight from {Transport} are abandoned")]
    private static partial void ShutdownTimedOut(ILogger logger, string transport);

    [LoggerMessage(EventId = 5, Level = LogLevel.Critical, Message = "Jobs still ran {Grace} after the shutdown timeout; the host disposes what they use and their messages return when their locks expire")]
    private static partial void HandlersOutlivedShutdown(ILogger logger, TimeSpan grace);
}
