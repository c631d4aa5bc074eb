using System.Globalization;
using System.Text.Json;
using IpIqa.Cli.Rescoring;
using IpIqa.Cli.Scoring;
using IpIqa.Cli.Tests.Explain;
using IpIqa.Core.Errors;
using IpIqa.Inference;
using IpIqa.Inference.Tests.Support;
using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// <c>ipiqa rescore --explain N</c> (#15): the N rejected images furthest below the thresholds are explained through
/// the one scoring path after the run; their files lie in the run folder, the results name them, the report shows them.
/// </summary>
public sealed class RescoreExplainTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>, IDisposable
{
    private readonly TempDirectory _temp = new("rescore-explain");

    public void Dispose() => _temp.Dispose();

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task Explain_N_explains_the_N_rejected_images_furthest_below_and_the_results_and_report_name_them()
    {
        var gallery = SampleGallery.Create(_temp.Combine("gallery"));

        // A quality threshold above every score rejects every image; the margin orders them by quality.
        var highest = ReferenceBundle.Scores().Where((_, i) => i % 2 == 0).Max() + 1;
        var settings = Settings(gallery) with { QualityThreshold = highest.ToString(CultureInfo.InvariantCulture), ExplainCount = 2 };
        using var output = new StringWriter();

        Assert.Equal(ExitCodes.Ok, await RescoreCommandRunner.RunAsync(settings, output, CancellationToken.None));

        var run = Directory.GetDirectories(_temp.Combine("runs")).Single();
        var rows = RescoreFolderTests.ReadCsv(Path.Combine(run, "results.csv"));
        var expected = rows.OrderBy(r => double.Parse(r["quality"], CultureInfo.InvariantCulture)).Take(2).Select(r => r["key"]).Order(StringComparer.Ordinal);
        var explained = rows.Where(r => r["explanation_overlay"].Length > 0).ToArray();
        Assert.Equal(expected, explained.Select(r => r["key"]).Order(StringComparer.Ordinal));
        var html = File.ReadAllText(Path.Combine(run, "report.html"));
        foreach (var row in explained)
        {
            Assert.Equal(Path.Combine(run, ReportExplanations.FolderName), Path.GetDirectoryName(row["explanation_overlay"]));
            using var json = JsonDocument.Parse(File.ReadAllBytes(row["explanation_attention"]));
            var unsupported = json.RootElement.GetProperty("words").EnumerateArray().Where(w => w.GetProperty("change").GetDouble() < 0).Select(w => w.GetProperty("word").GetString()!).ToArray();
            Assert.Equal(string.Join(';', unsupported), row["unsupported_words"]);
            Assert.Contains($"alt=\"where the model looked: {row["key"]}\"", html, StringComparison.Ordinal);
            Assert.All(unsupported, word => Assert.Contains($">{System.Net.WebUtility.HtmlEncode(word)}</b>", html, StringComparison.Ordinal));
        }

        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "<img class=\"overlay\"").Count);
        Assert.Equal(5, Directory.GetFiles(Path.Combine(run, ReportExplanations.FolderName)).Length); // two overlays, two maps, the index
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task Explain_N_explains_with_the_engine_that_scored_the_run_so_the_model_is_loaded_once()
    {
        var gallery = SampleGallery.Create(_temp.Combine("gallery"));
        var highest = ReferenceBundle.Scores().Where((_, i) => i % 2 == 0).Max() + 1;
        var settings = Settings(gallery) with { QualityThreshold = highest.ToString(CultureInfo.InvariantCulture), ExplainCount = 2 };
        using var loggers = CliEngine.CreateLoggerFactory();
        var loads = 0;
        var host = new RescoreHost(() =>
        {
            loads++;
            return CliEngine.Load(settings.Model, settings.BatchSize, settings.Threads, settings.Provider, loggers);
        }, null);
        using var output = new StringWriter();

        Assert.Equal(ExitCodes.Ok, await RescoreRun.RunAsync(settings, host, output, CancellationToken.None));

        Assert.Equal(1, loads);
        var run = Directory.GetDirectories(_temp.Combine("runs")).Single();
        Assert.Equal(5, Directory.GetFiles(Path.Combine(run, ReportExplanations.FolderName)).Length); // two overlays, two maps, the index
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task A_delta_runs_export_has_the_explanation_columns_filled_for_the_images_it_explained()
    {
        var gallery = SampleGallery.Create(_temp.Combine("gallery"));
        var highest = ReferenceBundle.Scores().Where((_, i) => i % 2 == 0).Max() + 1;
        var settings = Settings(gallery) with { QualityThreshold = highest.ToString(CultureInfo.InvariantCulture) };
        using var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, await RescoreCommandRunner.RunAsync(settings, output, CancellationToken.None));
        var full = Directory.GetDirectories(_temp.Combine("runs")).Single();
        var delta = await RescoreCommandRunner.RunAsync(settings with { ExplainCount = 2 }, output, CancellationToken.None);
        Assert.Equal(ExitCodes.Ok, delta);
        var run = Directory.GetDirectories(_temp.Combine("runs")).Single(d => d != full);
        Assert.Contains("\"baseRunId\"", File.ReadAllText(Path.Combine(run, "run.json")), StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Ok, await RescoreCommandRunner.RunAsync(settings with { Export = Path.GetFileName(run) }, output, CancellationToken.None));

        var rows = RescoreFolderTests.ReadCsv(Path.Combine(run, "results.csv"));
        var expected = rows.OrderBy(r => double.Parse(r["quality"], CultureInfo.InvariantCulture)).Take(2).Select(r => r["key"]).Order(StringComparer.Ordinal);
        var explained = rows.Where(r => r["explanation_overlay"].Length > 0).ToArray();
        Assert.Equal(expected, explained.Select(r => r["key"]).Order(StringComparer.Ordinal));
        Assert.All(explained, row => Assert.True(File.Exists(row["explanation_attention"]), row["explanation_attention"]));
        Assert.All(rows.Except(explained), row => Assert.Equal("", row["explanation_attention"]));
    }

    [Theory]
    [InlineData(ReportExplanations.MaxCount + 1, false)]
    [InlineData(-1, false)]
    [InlineData(2, true)]
    public async Task Explain_beyond_the_cap_or_with_enqueue_is_a_usage_error_naming_the_option(int count, bool enqueue)
    {
        var gallery = Directory.CreateDirectory(_temp.Combine("gallery")).FullName;
        using var output = new StringWriter();
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(ExitCodes.Usage, await RescoreCommandRunner.RunAsync(Settings(gallery) with { ExplainCount = count, Enqueue = enqueue }, output, CancellationToken.None));
        }
        finally
        {
            Console.SetError(saved);
        }

        Assert.Contains($"--explain {count} must be between 0 and {ReportExplanations.MaxCount}", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("runs")) && Directory.EnumerateDirectories(_temp.Combine("runs")).Any());
    }

    private RescoreSettings Settings(string folder) => new()
    {
        Model = reference.Folder,
        RunsRoot = _temp.Combine("runs"),
        Folder = folder,
        PageSize = 4,
        BatchSize = 4,
        Threads = 1,
        Provider = ExecutionProvider.Cpu,
    };
}
