using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.TestSupport;

namespace IpIqa.Core.Tests.Jobs;

/// <summary>
/// A job's <c>"explain": true</c> through the one scoring service: honoured only with an explainer and a store,
/// refused with a documented code otherwise (the job still scored), never asked of jobs that did not ask, and a
/// hostile job id never names a file outside the store's folder.
/// </summary>
public sealed class ExplainJobTests : IDisposable
{
    private readonly TempDirectory _temp = new("explain-job");
    private readonly FakeScorer _scorer = new();
    private readonly FakeImageSource _images = new();
    private readonly JobMetrics _metrics = new();

    public ExplainJobTests() => _images.Images["a.png"] = [1, 2, 3];

    public void Dispose()
    {
        _metrics.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Enabled_explain_stores_both_files_and_the_result_names_them()
    {
        var explainer = new FakeExplainer(_scorer);
        var service = Service(explainer, new FolderExplanationStore(_temp.Combine("explain")));

        var result = await service.ScoreAsync(Request("job-1", explain: true), CancellationToken.None);

        Assert.Equal(FakeScorer.Expected([1, 2, 3], "a cat"), result.Scores);
        var explanation = Assert.IsType<ResultExplanation>(result.Explanation);
        Assert.Null(explanation.Error);
        var stem = Assert.Single(explainer.Stems);
        Assert.Equal(Path.Combine(_temp.Combine("explain"), stem + Explanation.OverlaySuffix), explanation.Overlay);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], File.ReadAllBytes(explanation.Overlay!));
        Assert.Contains(stem, File.ReadAllText(explanation.Attention!), StringComparison.Ordinal);
        Assert.Single(_scorer.Inputs);
    }

    [Fact]
    public async Task A_job_that_does_not_ask_is_never_explained_and_its_result_has_no_explanation()
    {
        var explainer = new FakeExplainer(_scorer);
        var service = Service(explainer, new FolderExplanationStore(_temp.Combine("explain")));

        var result = await service.ScoreAsync(Request("job-2", explain: false), CancellationToken.None);

        Assert.NotNull(result.Scores);
        Assert.Null(result.Explanation);
        Assert.Empty(explainer.Stems);
        Assert.DoesNotContain("explanation", ScoringJson.SerializeResultToString(result), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("explain")));
    }

    [Fact]
    public async Task Disabled_explain_scores_the_job_as_usual_and_says_explain_disabled()
    {
        var explainer = new FakeExplainer(_scorer);
        var service = Service(explainer, store: null);

        var result = await service.ScoreAsync(Request("job-3", explain: true), CancellationToken.None);

        Assert.Equal(FakeScorer.Expected([1, 2, 3], "a cat"), result.Scores);
        Assert.False(result.IsError);
        Assert.Equal(ExplainCodes.Disabled, result.Explanation?.Error?.Code);
        Assert.Null(result.Explanation!.Overlay);
        Assert.Empty(explainer.Stems);
        Assert.Contains("\"explanation\":{\"error\":{\"code\":\"explain_disabled\"", ScoringJson.SerializeResultToString(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_without_the_attention_output_scores_the_job_and_says_explain_unsupported()
    {
        var explainer = new FakeExplainer(_scorer, unavailable: "no attention output; re-export");
        var service = Service(explainer, new FolderExplanationStore(_temp.Combine("explain")));

        var result = await service.ScoreAsync(Request("job-4", explain: true), CancellationToken.None);

        Assert.NotNull(result.Scores);
        Assert.Equal(new ResultError(ExplainCodes.Unsupported, "no attention output; re-export"), result.Explanation?.Error);
        Assert.Empty(explainer.Stems);
    }

    [Fact]
    public async Task A_failed_item_gets_its_error_result_and_no_explanation()
    {
        _images.Images["a.png"] = "BAD"u8.ToArray();
        var service = Service(new FakeExplainer(_scorer), new FolderExplanationStore(_temp.Combine("explain")));

        var result = await service.ScoreAsync(Request("job-5", explain: true), CancellationToken.None);

        Assert.True(result.IsError);
        Assert.Null(result.Explanation);
        Assert.False(Directory.Exists(_temp.Combine("explain")) && Directory.EnumerateFiles(_temp.Combine("explain")).Any());
    }

    [Theory]
    [InlineData("../../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("..")]
    [InlineData("a/../../b\\c\0d")]
    [InlineData("....")]
    public async Task A_hostile_job_id_writes_only_inside_the_folder(string jobId)
    {
        var folder = Directory.CreateDirectory(_temp.Combine("root", "explain")).FullName;
        var service = Service(new FakeExplainer(_scorer), new FolderExplanationStore(folder));

        var result = await service.ScoreAsync(Request(jobId, explain: true), CancellationToken.None);

        var explanation = Assert.IsType<ResultExplanation>(result.Explanation);
        foreach (var file in new[] { explanation.Overlay!, explanation.Attention! })
        {
            Assert.Equal(folder, Path.GetDirectoryName(file));
            Assert.True(File.Exists(file), file);
        }

        Assert.Equal(2, Directory.EnumerateFiles(_temp.Path, "*", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public void Stems_are_plain_file_names_stable_per_job_and_model_and_distinct_for_ids_that_read_alike()
    {
        var stem = ExplanationNames.ForJob("a/b", "sha256:1");

        Assert.StartsWith("a_b-", stem, StringComparison.Ordinal);
        Assert.Equal(stem, ExplanationNames.ForJob("a/b", "sha256:1"));
        Assert.NotEqual(stem, ExplanationNames.ForJob("a_b", "sha256:1"));
        Assert.NotEqual(stem, ExplanationNames.ForJob("a/b", "sha256:2"));
        Assert.True(ExplanationNames.ForJob(new string('x', 256), "h").Length <= ExplanationNames.MaxReadable + 17);
        Assert.Equal(16, ExplanationNames.ForJob("..", "h").Length);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("")]
    public async Task The_folder_store_refuses_a_stem_that_is_not_a_plain_name(string stem)
    {
        var store = new FolderExplanationStore(_temp.Combine("explain"));

        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync(stem, new Explanation([1], [2]), CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(_temp.Path, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("null", false)]
    public void The_parser_reads_explain_and_a_request_reads_back_as_itself(string value, bool expected)
    {
        var json = $$"""{"jobId": "j", "image": {"path": "a.png"}, "prompt": "p", "explain": {{value}}}""";

        Assert.True(ScoringRequestParser.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out var request, out var error), error?.Message);
        Assert.Equal(expected, request!.Explain);
        Assert.True(ScoringRequestParser.TryParse(ScoringJson.SerializeRequest(request), out var again, out _));
        Assert.Equal(expected, again!.Explain);
    }

    [Theory]
    [InlineData("\"true\"")]
    [InlineData("1")]
    [InlineData("[]")]
    public void A_mistyped_explain_is_message_invalid_naming_the_field(string value)
    {
        var json = $$"""{"jobId": "j", "image": {"path": "a.png"}, "prompt": "p", "explain": {{value}}}""";

        Assert.False(ScoringRequestParser.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Equal(Errors.ErrorCodes.MessageInvalid, error!.Code);
        Assert.StartsWith("explain must be true, false or {\"words\": true}", error.Message, StringComparison.Ordinal);
    }

    private ScoringService Service(IImageExplainer explainer, IExplanationStore? store) =>
        new(_scorer, [_images], new ScoringOptions(), _metrics, TimeProvider.System, explainer, store);

    private static ScoringRequest Request(string jobId, bool explain) =>
        new(jobId, new ImageReference(null, "a.png"), "a cat") { Explain = explain };
}
