using Azure.Monitor.OpenTelemetry.Exporter;
using IpIqa.Core.Jobs;
using IpIqa.Inference;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IpIqa.Worker.Telemetry;

/// <summary>
/// OpenTelemetry for the <c>IpIqa</c> meter (job pipeline and inference instruments), the runtime's
/// <c>System.Runtime</c> meter, and the <c>IpIqa</c> activity
/// source (and the Azure SDK's activities): metrics scraped in Prometheus text at <c>/metrics</c> on
/// the health port, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and to
/// Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set.
/// </summary>
public static class TelemetryExtensions
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ApplicationInsightsVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The runtime's built-in meter (<c>dotnet.process.cpu.time</c>, <c>dotnet.jit.compilation.time</c>, <c>dotnet.gc.*</c>, ...).</summary>
    public const string RuntimeMeterName = "System.Runtime";

    public static IHostApplicationBuilder AddIpIqaTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var applicationInsights = builder.Configuration[ApplicationInsightsVariable];
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("ipiqa-worker"))
            .WithMetrics(metrics =>
            {
                // System.Runtime: the runtime's own meter (.NET 9+): process CPU, GC, JIT time, thread pool.
                // A worker's cost per job is judged against these (bench/worker-vs-engine.sh reads them).
                metrics.AddMeter(JobMetrics.Name, InferenceMetrics.MeterName, RuntimeMeterName).AddPrometheusExporter();
                if (!string.IsNullOrWhiteSpace(applicationInsights))
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = applicationInsights);
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(JobMetrics.Name).AddSource("Azure.*");
                if (!string.IsNullOrWhiteSpace(applicationInsights))
                {
                    tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = applicationInsights);
                }
            });
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }
}
