using IpIqa.Azure;
using IpIqa.Core.Batching;
using IpIqa.Core.Calibration;
using IpIqa.Core.Jobs;
using IpIqa.Inference;
using IpIqa.Worker.Configuration;
using IpIqa.Worker.Health;
using IpIqa.Worker.Http;
using IpIqa.Worker.Local;
using IpIqa.Worker.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Hosting;

/// <summary>The worker's composition: transport, image sources and sinks chosen by configuration, the job processor, health and telemetry.</summary>
public static class WorkerHostExtensions
{
    /// <summary>
    /// Registers everything but the scorer (<see cref="IImageScorer"/>): the transport of
    /// <c>IpIqa:Transport:Kind</c>, the image sources, the sinks of <c>IpIqa:Sinks</c>, the job
    /// processor, the worker service, health and telemetry. Options are validated at start.
    /// </summary>
    public static IHostApplicationBuilder AddIpIqaWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;
        UnknownKeyCheck.ThrowIfAny(configuration);
        var kind = configuration.GetSection(TransportOptions.SectionName).Get<TransportOptions>()?.Kind ?? TransportKind.Local;
        var sinks = configuration.GetSection(SinkOptions.SectionName).Get<SinkOptions>() ?? new SinkOptions();

        services.AddOptions<TransportOptions>().BindConfiguration(TransportOptions.SectionName).ValidateOnStart();
        services.AddOptions<SinkOptions>().BindConfiguration(SinkOptions.SectionName).ValidateOnStart();
        services.AddOptions<ThresholdOptions>().BindConfiguration(ThresholdOptions.SectionName).ValidateOnStart();
        services.AddOptions<EventOptions>().BindConfiguration(EventOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LocalOptions>().BindConfiguration(LocalOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // The prompt and image limits are the engine's (IpIqa:Model:MaxPromptBytes, IpIqa:Preprocessing:MaxBytes):
        // the parser and the fetch honour them whichever scorer is registered.
        // The batch size sizes the transport (messages held, BatchFillCheck).
        services.AddIpIqaInferenceOptions();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SinkOptions>, SinkOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SinkOptions>, ResultsFileValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalOptions>, ResultsFileValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalOptions>, JobsPathValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ThresholdOptions>, ThresholdOptionsValidator>());

        switch (kind)
        {
            case TransportKind.ServiceBus:
                services.AddIpIqaServiceBus(sinks.Reply);
                break;
            case TransportKind.StorageQueue:
                services.AddIpIqaStorageQueue();
                break;
            case TransportKind.Http:
                services.AddSingleton<IJobSource, HttpOnlyJobSource>();
                break;
            default:
                services.AddIpIqaLocal();
                break;
        }

        var blob = configuration.GetSection("IpIqa:Blob");
        if (sinks.BlobTags || blob.GetSection("AllowedAccounts").GetChildren().Any() || !string.IsNullOrWhiteSpace(blob["ConnectionString"]) || !string.IsNullOrWhiteSpace(blob["ServiceUri"]))
        {
            services.AddIpIqaBlobImages(sinks.BlobTags);
        }

        if (sinks.Table.Enabled)
        {
            services.AddIpIqaTableSink();
        }

        if (!string.IsNullOrWhiteSpace(sinks.File.Path))
        {
            var path = sinks.File.Path;
            services.AddSingleton<IResultSink>(_ => new JsonlResultSink(path, "file"));
        }

        if (sinks.Explain is { Enabled: true } explain)
        {
            if (!string.IsNullOrWhiteSpace(explain.Folder))
            {
                services.AddSingleton<IExplanationStore>(new FolderExplanationStore(explain.Folder));
            }
            else if (!string.IsNullOrWhiteSpace(explain.Container))
            {
                services.AddIpIqaBlobExplanations(explain.Container);
            }
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new JobMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp =>
        {
            // The scoring registration provides the bundle's calibration; without it percentiles are absent.
            var calibration = sp.GetService<ScoreCalibration>() ?? ScoreCalibration.None;
            var (quality, alignment) = sp.GetRequiredService<IOptions<ThresholdOptions>>().Value.Parse();
            return new ScoringOptions
            {
                MaxImageBytes = sp.GetRequiredService<IOptions<PreprocessingOptions>>().Value.MaxBytes,
                MaxPromptBytes = sp.GetRequiredService<IOptions<ModelOptions>>().Value.MaxPromptBytes,
                DefaultThresholds = calibration.Resolve(quality, alignment),
                Calibration = calibration,
                PromptMetadataKey = sp.GetRequiredService<IOptions<EventOptions>>().Value.PromptMetadataKey,
                MaxExplainWords = sp.GetRequiredService<IOptions<SinkOptions>>().Value.Explain.MaxWords,
            };
        });
        services.TryAddSingleton(new JobProcessorOptions());
        services.TryAddSingleton<ScoringService>();
        services.TryAddSingleton<JobProcessor>();
        services.TryAddSingleton<WorkerState>();
        services.AddHostedService<BatchFillCheck>();
        services.AddHostedService<WorkerService>();

        services.AddIpIqaHealth();
        services.AddIpIqaHttpApi(enabled: kind == TransportKind.Http || configuration.GetSection(HttpApiOptions.SectionName).Get<HttpApiOptions>()?.Enabled == true);
        builder.AddIpIqaTelemetry();
        return builder;
    }

    /// <summary>The embedded transport: jobs, images and results on the local disk, plus the drain report.</summary>
    public static IServiceCollection AddIpIqaLocal(this IServiceCollection services)
    {
        services.TryAddSingleton<DrainReport>();
        services.AddSingleton<IJobSource, LocalJobSource>();
        services.AddSingleton<IImageSource, LocalImageSource>();
        services.AddSingleton(sp => new JsonlResultSink(sp.GetRequiredService<IOptions<LocalOptions>>().Value.ResultsPath, "results"));
        services.AddSingleton<IResultSink>(sp => sp.GetRequiredService<JsonlResultSink>());
        services.AddSingleton<IResultSink>(sp => sp.GetRequiredService<DrainReport>());
        return services;
    }
}
