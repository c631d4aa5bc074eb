using IpIqa.Core.Jobs;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IpIqa.Worker.Telemetry;

/// <summary>OpenTelemetry for the <c>IpIqa</c> meter and activity source; exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
public static class TelemetryExtensions
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IHostApplicationBuilder AddIpIqaTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("ipiqa-worker"))
            .WithMetrics(metrics => metrics.AddMeter(JobMetrics.Name))
            .WithTracing(tracing => tracing.AddSource(JobMetrics.Name).AddSource("Azure.*"));
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }
}
