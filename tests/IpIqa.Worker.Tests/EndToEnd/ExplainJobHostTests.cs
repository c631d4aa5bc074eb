using System.Text.Json;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using IpIqa.Worker.Hosting;
using IpIqa.Worker.Scoring;
using IpIqa.Worker.Tests.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Worker.Tests.EndToEnd;

/// <summary>
/// A job's <c>"explain": true</c> through the worker (local transport, drained): with <c>IpIqa:Sinks:Explain</c>
/// enabled and the reference bundle, the result names an overlay PNG and a map JSON that exist in the folder and
/// decode, also for a job id that tries to climb out of it, and <c>{"words": true}</c> adds each word within the word cap;
/// disabled, the job is scored and says <c>explain_disabled</c>.
/// </summary>
public sealed class ExplainJobHostTests : IDisposable
{
    private readonly TempDirectory _folder = new("ipiqa-explain-job");

    public void Dispose() => _folder.Dispose();

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab, "ipiqa-reference/images/img00.jpg")]
    public async Task Enabled_explain_writes_files_that_decode_and_the_result_names_them()
    {
        using var bundle = new ReferenceBundle();
        var (image, prompt, _) = ReferenceBundle.Samples()[0];
        var name = Path.GetFileName(image);
        File.Copy(image, Path.Combine(Directory.CreateDirectory(_folder.Combine("images")).FullName, name));
        WriteJobs(
            $$"""{"jobId":"plain","image":{"path":"{{name}}"},"prompt":{{JsonSerializer.Serialize(prompt)}}}""",
            $$"""{"jobId":"asked","image":{"path":"{{name}}"},"prompt":{{JsonSerializer.Serialize(prompt)}},"explain":true}""",
            $$"""{"jobId":"../../escape","image":{"path":"{{name}}"},"prompt":{{JsonSerializer.Serialize(prompt)}},"explain":true}""",
            $$"""{"jobId":"words","image":{"path":"{{name}}"},"prompt":{{JsonSerializer.Serialize(prompt)}},"explain":{"words":true} }""",
            $$"""{"jobId":"too-many-words","image":{"path":"{{name}}"},"prompt":{{JsonSerializer.Serialize(prompt + " again")}},"explain":{"words":true} }""");
        var words = prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var explain = Directory.CreateDirectory(_folder.Combine("out", "explain")).FullName;

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(Drain(
            ("IpIqa:Model:BundlePath", bundle.Folder),
            ("IpIqa:Model:ExecutionProvider", "Cpu"),
            ("IpIqa:Sinks:Explain:Enabled", "true"),
            ("IpIqa:Sinks:Explain:Folder", explain),
            ("IpIqa:Sinks:Explain:MaxWords", words.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        builder.AddIpIqaWorker();
        builder.AddIpIqaScoring();
        using (var host = builder.Build())
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await host.RunAsync(timeout.Token);
        }

        var results = Results();
        Assert.Null(results["plain"].Explanation);
        foreach (var job in new[] { "asked", "../../escape", "words", "too-many-words" })
        {
            var explanation = Assert.IsType<ResultExplanation>(results[job].Explanation);
            Assert.Equal(job == "too-many-words" ? ExplainCodes.TooManyWords : null, explanation.Error?.Code);
            Assert.Equal(explain, Path.GetDirectoryName(explanation.Overlay));
            Assert.Equal(explain, Path.GetDirectoryName(explanation.Attention));
            using var overlay = Image.Load<Rgb24>(explanation.Overlay!);
            Assert.True(overlay.Width > 0);
            using var json = JsonDocument.Parse(File.ReadAllBytes(explanation.Attention!));
            var grid = json.RootElement.GetProperty("grid").GetInt32();
            Assert.Equal(grid, json.RootElement.GetProperty("attention").GetArrayLength());
            Assert.Equal(Path.GetFileName(explanation.Overlay), json.RootElement.GetProperty("overlay").GetString());
            Assert.Equal(results[job].Scores!.Quality, json.RootElement.GetProperty("scores").GetProperty("quality").GetDouble(), 12);
        }

        // Words only where asked and within IpIqa:Sinks:Explain:MaxWords, in the result and in the map's JSON.
        Assert.Null(results["asked"].Explanation!.Words);
        Assert.Null(results["too-many-words"].Explanation!.Words);
        var attributed = results["words"].Explanation!.Words!;
        Assert.Equal(words, attributed.Select(w => w.Word));
        Assert.All(attributed, w => Assert.Equal(results["words"].Scores!.Alignment - w.AlignmentWithout!.Value, w.Change!.Value, 12));
        using (var map = JsonDocument.Parse(File.ReadAllBytes(results["words"].Explanation!.Attention!)))
        {
            Assert.Equal(words, map.RootElement.GetProperty("words").EnumerateArray().Select(w => w.GetProperty("word").GetString()));
        }

        Assert.Equal(8, Directory.GetFiles(explain).Length);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_folder.Path, "*escape*", SearchOption.AllDirectories), p => Path.GetDirectoryName(p) != explain);
    }

    [Fact]
    public async Task Disabled_explain_scores_the_job_and_its_result_says_explain_disabled()
    {
        Directory.CreateDirectory(_folder.Combine("images"));
        File.WriteAllBytes(_folder.Combine("images", "a.png"), [1, 2, 3]);
        WriteJobs("""{"jobId":"asked","image":{"path":"a.png"},"prompt":"a red fox","explain":true}""");

        using (var host = WorkerHostFactory.Build(Drain()))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await host.RunAsync(timeout.Token);
        }

        var result = Results()["asked"];
        Assert.Equal(FakeScorer.Expected([1, 2, 3], "a red fox"), result.Scores);
        Assert.Equal(ExplainCodes.Disabled, result.Explanation?.Error?.Code);
        Assert.Contains("IpIqa:Sinks:Explain:Enabled", result.Explanation!.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "needs exactly one of IpIqa:Sinks:Explain:Folder and IpIqa:Sinks:Explain:Container (neither is set)")]
    [InlineData("x", "y", "(both are set: 'x', 'y')")]
    [InlineData(null, "explanations", "IpIqa:Sinks:Explain:Container='explanations' needs the blob account")]
    public async Task Enabled_explain_without_exactly_one_place_stops_the_start(string? folder, string? container, string message)
    {
        WriteJobs(); // a drain's jobs file must exist, or that stops the start first
        using var host = WorkerHostFactory.Build(Drain(
            ("IpIqa:Sinks:Explain:Enabled", "true"),
            ("IpIqa:Sinks:Explain:Folder", folder),
            ("IpIqa:Sinks:Explain:Container", container)));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("78")]
    public async Task A_word_cap_out_of_range_stops_the_start_naming_the_key(string maxWords)
    {
        WriteJobs(); // a drain's jobs file must exist, or that stops the start first
        using var host = WorkerHostFactory.Build(Drain(
            ("IpIqa:Sinks:Explain:Enabled", "true"),
            ("IpIqa:Sinks:Explain:Folder", _folder.Combine("explain")),
            ("IpIqa:Sinks:Explain:MaxWords", maxWords)));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"IpIqa:Sinks:Explain:MaxWords={maxWords} must be between 1 and 77", ex.Message, StringComparison.Ordinal);
    }

    private void WriteJobs(params string[] lines) => File.WriteAllLines(_folder.Combine("jobs.jsonl"), lines);

    private Dictionary<string, ScoringResult> Results() =>
        File.ReadAllLines(_folder.Combine("results.jsonl"))
            .Select(l => ScoringJson.DeserializeResult(System.Text.Encoding.UTF8.GetBytes(l)))
            .ToDictionary(r => r.JobId!);

    private Dictionary<string, string?> Drain(params (string Key, string? Value)[] extra)
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
