using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IpIqa.Worker.Tests.Hosting;

/// <summary>Builds the worker host as Program.cs does, with settings given in memory and a fake scorer.</summary>
public static class WorkerHostFactory
{
    public static IHost Build(IDictionary<string, string?> settings, IImageScorer? scorer = null, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddIpIqaWorker();
        builder.Services.AddSingleton(scorer ?? new FakeScorer());
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
