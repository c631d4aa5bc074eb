using IpIqa.Inference.Tests.Support;
using IpIqa.Core.Bundles;
using IpIqa.Core.Calibration;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.TestSupport;
using IpIqa.Worker.Hosting;
using IpIqa.Worker.Scoring;
using IpIqa.Worker.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IpIqa.Worker.Tests.Hosting;

/// <summary>A calibrated bundle: results carry each score's percentile, and default thresholds may be percentiles.</summary>
public sealed class CalibratedResultsTests : IDisposable
{
    private readonly TempDirectory _folder = new("ipiqa-calibrated");

    [Fact]
    public async Task Results_carry_percentiles_and_a_percentile_default_threshold_is_resolved()
    {
        // Quality table: raw 0..1 in steps of 0.01, so percentile = 100 × raw. Alignment: raw 0..2, percentile = 50 × raw.
        var calibration = new ScoreCalibration(
            PercentileTable.FromValues([.. Enumerable.Range(0, 101).Select(i => i / 100.0)], "quality"),
            PercentileTable.FromValues([.. Enumerable.Range(0, 101).Select(i => i / 50.0)], "alignment"));
        Directory.CreateDirectory(_folder.Combine("images"));
        File.WriteAllBytes(_folder.Combine("images", "a.png"), [100, 200, 250]);
        File.WriteAllBytes(_folder.Combine("images", "b.png"), [100, 200, 251]);
        File.WriteAllLines(_folder.Combine("jobs.jsonl"),
        [
            """{"jobId":"a","image":{"path":"a.png"},"prompt":"a red fox"}""",
            """{"jobId":"b","image":{"path":"b.png"},"prompt":"a red fox","thresholds":{"quality":0.5}}""",
            """{"jobId":"bad","image":{"path":"missing.png"},"prompt":"a red fox"}""",
        ]);

        using (var host = WorkerHostFactory.Build(Drain(("IpIqa:Thresholds:Quality", "p60")), configure: s => s.AddSingleton(calibration)))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await host.RunAsync(timeout.Token);
        }

        var results = File.ReadAllLines(_folder.Combine("results.jsonl"))
            .Select(l => ScoringJson.DeserializeResult(System.Text.Encoding.UTF8.GetBytes(l)))
            .ToDictionary(r => r.JobId!);
        var expected = FakeScorer.Expected(new byte[] { 100, 200, 250 }, "a red fox"); // quality 0.55, alignment 0.09
        Assert.Equal(expected, results["a"].Scores);
        Assert.Equal(new ScorePercentiles(55, 4.5), results["a"].Percentiles);
        Assert.Equal(["quality<0.60"], results["a"].Verdict!.Failed);
        Assert.Equal(Verdict.Pass, results["b"].Verdict!.Outcome);
        Assert.Null(results["bad"].Percentiles);
        Assert.Contains("\"percentiles\":{\"quality\":55,\"alignment\":4.5}", File.ReadAllText(_folder.Combine("results.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public void An_uncalibrated_model_gives_no_percentiles_and_refuses_a_percentile_threshold()
    {
        using (var plain = WorkerHostFactory.Build(Drain()))
        {
            Assert.False(plain.Services.GetRequiredService<ScoringOptions>().Calibration.IsComplete);
        }

        using var host = WorkerHostFactory.Build(Drain(("IpIqa:Thresholds:Alignment", "p10")));
        var ex = Assert.Throws<InvalidDataException>(() => host.Services.GetRequiredService<ScoringOptions>());
        Assert.Contains("The alignment threshold p10 is a percentile, but the model bundle has no calibration", ex.Message, StringComparison.Ordinal);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public void The_scoring_registration_reads_the_calibration_of_the_loaded_bundle()
    {
        using var bundle = new ReferenceBundle();
        var quality = Enumerable.Range(0, 101).Select(i => 2 + (i / 100.0)).ToArray();
        var alignment = Enumerable.Range(0, 101).Select(i => -1 + (i / 10.0)).ToArray();
        var manifest = BundleManifestSerializer.ReadFromFolder(bundle.Folder) with
        {
            Calibration = new BundleCalibration
            {
                Reference = "test-run",
                Count = 1000,
                Percentiles = new Dictionary<string, IReadOnlyList<double>> { ["quality"] = quality, ["alignment"] = alignment },
            },
        };
        BundleManifestSerializer.WriteToFolder(manifest, bundle.Folder);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(Drain(("IpIqa:Model:BundlePath", bundle.Folder), ("IpIqa:Model:ExecutionProvider", "Cpu"), ("IpIqa:Thresholds:Quality", "p25")));
        builder.AddIpIqaWorker();
        builder.AddIpIqaScoring();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<ScoringOptions>();
        Assert.Equal(quality, options.Calibration.Quality!.Values);
        Assert.Equal(alignment, options.Calibration.Alignment!.Values);
        Assert.Equal(2.25, options.DefaultThresholds.Quality!.Value, 12);
        Assert.Null(options.DefaultThresholds.Alignment);
    }

    public void Dispose() => _folder.Dispose();

    private Dictionary<string, string?> Drain(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["IpIqa:Local:JobsPath"] = _folder.Combine("jobs.jsonl"),
            ["IpIqa:Local:ImageRoot"] = _folder.Combine("images"),
            ["IpIqa:Local:ResultsPath"] = _folder.Combine("results.jsonl"),
            ["IpIqa:Local:Drain"] = "true",
            ["IpIqa:Health:Port"] = "0",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }
}
