using System.Diagnostics;
using IpIqa.Worker.Configuration;
using IpIqa.Worker.Tests.Hosting;
using IpIqa.Worker.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Tests.Configuration;

public sealed class UnknownKeyCheckTests
{
    [Theory]
    [InlineData("IpIqa:Model:BundelPath", "IpIqa:Model:BundlePath")]
    [InlineData("IpIqa:Batching:MaxBatchSise", "IpIqa:Batching:MaxBatchSize")]
    [InlineData("IpIqa:health:prot", "IpIqa:Health:Port")]
    [InlineData("IpIqa:Sinks:Table:Enable", "IpIqa:Sinks:Table:Enabled")]
    public void A_misspelt_key_is_named_with_the_nearest_known_key(string key, string nearest)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = "1" }).Build();

        var failure = Assert.Single(UnknownKeyCheck.Find(configuration));

        Assert.Equal($"{key} is not a configuration key; did you mean {nearest}?", failure);
    }

    [Fact]
    public void A_key_far_from_every_known_key_is_named_without_a_guess()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["IpIqa:Zebra:Stripes"] = "9" }).Build();

        Assert.Equal("IpIqa:Zebra:Stripes is not a configuration key (docs/configuration.md lists them).", Assert.Single(UnknownKeyCheck.Find(configuration)));
    }

    [Fact]
    public void Known_keys_collection_items_and_keys_outside_IpIqa_pass()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IpIqa:Model:BundlePath"] = "models/demo",
            ["ipiqa:local:drain"] = "true",
            ["IpIqa:Blob:AllowedAccounts:0"] = "account",
            ["IpIqa:Blob:AllowedContainers:1"] = "images",
            ["IpIqa:Sinks:File:Path"] = "out.jsonl",
            ["Logging:LogLevel:Default"] = "Warning",
            ["SomethingElse:Entirely"] = "x",
        }).Build();

        Assert.Empty(UnknownKeyCheck.Find(configuration));
    }

    [Fact]
    public void Every_schema_key_is_itself_known() =>
        Assert.All(WorkerConfigurationSchema.Keys(), key => Assert.True(WorkerConfigurationSchema.Binds(key), key));

    [Fact]
    public void The_host_does_not_build_with_a_misspelt_key()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => WorkerHostFactory.Build(new Dictionary<string, string?>
        {
            ["IpIqa:Model:BundelPath"] = "models/elsewhere",
            ["IpIqa:Health:Port"] = "0",
        }));

        Assert.Contains("did you mean IpIqa:Model:BundlePath?", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_worker_process_exits_2_and_names_the_key()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(WorkerProcess.WorkerDll);
        info.ArgumentList.Add("--IpIqa:Model:BundelPath=models/elsewhere");
        info.Environment["IpIqa__Health__Port"] = "0";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("IpIqa:Model:BundelPath is not a configuration key; did you mean IpIqa:Model:BundlePath?", await stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Model", await stdout, StringComparison.Ordinal);
    }
}
