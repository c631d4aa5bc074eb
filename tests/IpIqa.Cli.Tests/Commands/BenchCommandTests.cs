using System.Text.Json;
using IpIqa.Cli.Benchmarks;
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
        Assert.Equal(3, report.GetProperty("batch_size").GetInt32());
        Assert.Equal("CPU", report.GetProperty("provider").GetString());
        Assert.Equal("fp32", report.GetProperty("precision").GetString());
        var seconds = report.GetProperty("seconds").GetDouble();
        Assert.True(seconds > 0);
        Assert.Equal(6 / seconds, report.GetProperty("images_per_s").GetDouble(), 0.05 * 6 / seconds);
        Assert.True(report.GetProperty("process_cpu_s").GetDouble() > 0);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task BenchE2eScoresEveryInputOncePerPassWithTheReferenceKeys()
    {
        using var folder = SampleFolder();
        var count = ReferenceBundle.Samples().Count;
        using var output = new StringWriter();

        var exit = await BenchE2eCommand.RunAsync(new E2eSettings(reference.Folder, folder.Path, 4, 1, ExecutionProvider.Cpu) { Repeat = 2 }, output, CancellationToken.None);

        Assert.Equal(0, exit);
        var report = Report(output);
        Assert.Equal("e2e", report.GetProperty("bench").GetString());
        Assert.Equal(count * 2, report.GetProperty("images").GetInt32());
        Assert.Equal(1, report.GetProperty("threads").GetInt32());
        Assert.Equal(4, report.GetProperty("batch_size").GetInt32());
        Assert.True(report.GetProperty("ms_per_image").GetDouble() > 0);
        Assert.True(report.GetProperty("images_per_s").GetDouble() > 0);
        Assert.True(report.GetProperty("cache_text").GetBoolean());
        Assert.Equal(0, report.GetProperty("failures").GetInt32());
        Assert.InRange(report.GetProperty("mean_batch_size").GetDouble(), 1, 4);
        Assert.InRange(report.GetProperty("cold_mean_batch_size").GetDouble(), 1, 4);
        var gc = report.GetProperty("gc");
        Assert.True(gc.GetProperty("allocated_kb_per_image").GetDouble() > 0, "the timed pass allocates something (results, tasks)");
        Assert.True(gc.GetProperty("pause_ms_per_image").GetDouble() >= 0);
        Assert.True(gc.GetProperty("gen0").GetInt32() >= gc.GetProperty("gen2").GetInt32(), "a gen-2 collection counts in gen 0 too");
        var stages = report.GetProperty("stage_ms");
        Assert.True(stages.GetProperty("preprocess").GetDouble() > 0);
        Assert.True(stages.GetProperty("model").GetDouble() > 0);
        Assert.True(stages.GetProperty("model").GetDouble() <= stages.GetProperty("batch").GetDouble());
        Assert.False(report.TryGetProperty("memory", out _));
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task BenchE2eCyclesThroughTheInputAndSamplesMemoryEveryNImages()
    {
        using var folder = SampleFolder();
        using var output = new StringWriter();
        var settings = new E2eSettings(reference.Folder, folder.Path, 2, 1, ExecutionProvider.Cpu) { Images = 25, MemoryEvery = 10, CacheText = false };

        var exit = await BenchE2eCommand.RunAsync(settings, output, CancellationToken.None);

        Assert.Equal(0, exit);
        var report = Report(output);
        Assert.Equal(25, report.GetProperty("images").GetInt32());
        Assert.False(report.GetProperty("cache_text").GetBoolean());
        var samples = report.GetProperty("memory").EnumerateArray().ToArray();
        Assert.Equal(["loaded", "warm", "run", "run", "end"], samples.Select(s => s.GetProperty("label").GetString()));
        Assert.Equal([0, 0, 10, 20, 25], samples.Select(s => s.GetProperty("images").GetInt32()));
        Assert.All(samples, s => Assert.True(s.GetProperty("working_set_mb").GetDouble() > 0));
        Assert.All(samples, s => Assert.True(s.GetProperty("managed_mb").GetDouble() > 0));
    }

    [Theory]
    [InlineData(0, 0, "--repeat 0")]
    [InlineData(3, -1, "--images -1")]
    public async Task BenchE2eRefusesAnOutOfRangeRunLength(int repeat, int images, string named)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var stderr = Console.Error;
        Console.SetError(errors);
        try
        {
            var exit = await BenchE2eCommand.RunAsync(new E2eSettings("/no/such/bundle", "/no/such/input", 2, 1, ExecutionProvider.Cpu) { Repeat = repeat, Images = images }, output, CancellationToken.None);

            Assert.Equal(2, exit);
        }
        finally
        {
            Console.SetError(stderr);
        }

        Assert.Empty(output.ToString());
        Assert.Contains(named, errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnAbsentBundleIsAnErrorExit()
    {
        using var output = new StringWriter();

        var exit = BenchModelCommand.Run("/no/such/bundle", 2, 1, ExecutionProvider.Cpu, 1, output);

        Assert.Equal(2, exit);
        Assert.Empty(output.ToString());
    }

    private static TempDirectory SampleFolder()
    {
        var folder = new TempDirectory("bench-e2e");
        var samples = ReferenceBundle.Samples();
        for (var i = 0; i < samples.Count; i++)
        {
            var name = $"s{i}{Path.GetExtension(samples[i].Image)}";
            File.Copy(samples[i].Image, folder.Combine(name));
            File.WriteAllText(folder.Combine(Path.ChangeExtension(name, ".txt")), samples[i].Prompt);
        }

        return folder;
    }
}
