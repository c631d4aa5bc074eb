using System.Text.Json;
using IpIqa.Cli.Commands;
using IpIqa.Inference;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Commands;

/// <summary><c>ipiqa bench model|e2e</c> on the reference bundle print a JSON report of what they timed.</summary>
public sealed class BenchCommandTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>
{
    private static JsonElement Report(StringWriter output) => JsonDocument.Parse(output.ToString()).RootElement;

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public void BenchModelReportsImagesPerSecondForTheBatchesItRan()
    {
        using var output = new StringWriter();

        var exit = BenchModelCommand.Run(reference.Folder, batchSize: 3, threads: 1, ExecutionProvider.Cpu, iterations: 2, output);

        Assert.Equal(0, exit);
        var report = Report(output);
        Assert.Equal("model", report.GetProperty("bench").GetString());
        Assert.False(report.TryGetProperty("stages", out _));
        Assert.Equal(6, report.GetProperty("images").GetInt32());
        Assert.Equal(3, report.GetProperty("batchSize").GetInt32());
        Assert.Equal("CPU", report.GetProperty("provider").GetString());
        var seconds = report.GetProperty("seconds").GetDouble();
        Assert.True(seconds > 0);
        Assert.Equal(6 / seconds, report.GetProperty("imagesPerSecond").GetDouble(), 0.05 * 6 / seconds);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task BenchE2eScoresEveryInputOncePerPass()
    {
        using var folder = new TempDirectory("bench-e2e");
        var samples = ReferenceBundle.Samples();
        for (var i = 0; i < samples.Count; i++)
        {
            var name = $"s{i}{Path.GetExtension(samples[i].Image)}";
            File.Copy(samples[i].Image, folder.Combine(name));
            File.WriteAllText(folder.Combine(Path.ChangeExtension(name, ".txt")), samples[i].Prompt);
        }

        using var output = new StringWriter();

        var exit = await BenchE2eCommand.RunAsync(reference.Folder, folder.Path, 4, 1, ExecutionProvider.Cpu, 2, output, CancellationToken.None);

        Assert.Equal(0, exit);
        var report = Report(output);
        Assert.Equal("e2e", report.GetProperty("bench").GetString());
        Assert.Equal(samples.Count * 2, report.GetProperty("images").GetInt32());
        Assert.True(report.GetProperty("msPerImage").GetDouble() > 0);
        var stages = report.GetProperty("stages");
        Assert.Equal(samples.Count * 2, stages.GetProperty("items").GetInt32());
        Assert.InRange(stages.GetProperty("meanBatchSize").GetDouble(), 1, 4);
        Assert.True(stages.GetProperty("preprocessMs").GetDouble() > 0);
    }

    [Fact]
    public void AnAbsentBundleIsAnErrorExit()
    {
        using var output = new StringWriter();

        var exit = BenchModelCommand.Run("/no/such/bundle", 2, 1, ExecutionProvider.Cpu, 1, output);

        Assert.Equal(2, exit);
        Assert.Empty(output.ToString());
    }
}
