using IpIqa.Cli.Scoring;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Inference;
using IpIqa.TestSupport;
using IpIqa.Cli.Rescoring;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Commands;

/// <summary>
/// The exit codes a pipeline gates on, on the bundled demo model and samples: 0 when every input
/// scored, 1 when some could not be (or, with <c>--fail-on-verdict</c>, were rejected), the same for
/// <c>score</c> and <c>rescore</c>.
/// </summary>
public sealed class ExitCodeTests : IDisposable
{
    private readonly TempDirectory _temp = new("exit-codes");

    public void Dispose() => _temp.Dispose();

    private static string DemoModel => Path.Combine(Fixtures.RepositoryRoot, "models", "demo");

    /// <summary>Three of the bundled samples (image and prompt), copied so the folder holds nothing else.</summary>
    private string Gallery(bool withBrokenImage)
    {
        var folder = Directory.CreateDirectory(_temp.Combine(withBrokenImage ? "broken" : "clean")).FullName;
        foreach (var name in new[] { "good-clean", "degraded-heavy", "misaligned-missing-object" })
        {
            foreach (var extension in new[] { ".png", ".txt" })
            {
                File.Copy(Path.Combine(Fixtures.RepositoryRoot, "samples", name + extension), Path.Combine(folder, name + extension));
            }
        }

        if (withBrokenImage)
        {
            File.WriteAllBytes(Path.Combine(folder, "z-broken.png"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]);
            File.WriteAllText(Path.Combine(folder, "z-broken.txt"), "a broken file");
        }

        return folder;
    }

    private Task<int> ScoreAsync(string input, double? quality, bool failOnVerdict) =>
        ScoreRunner.RunAsync(
            new ScoreSettings(DemoModel, input, _temp.Combine($"out-{Guid.NewGuid():N}.jsonl"), new Thresholds(quality, null), 4, 1, ExecutionProvider.Cpu, FailOnVerdict: failOnVerdict),
            CancellationToken.None);

    [Fact]
    public async Task Score_exits_0_when_every_input_scored_even_with_rejections()
    {
        Assert.Equal(ExitCodes.Ok, await ScoreAsync(Gallery(withBrokenImage: false), quality: 100, failOnVerdict: false));
    }

    [Fact]
    public async Task Score_exits_1_when_an_input_could_not_be_scored()
    {
        Assert.Equal(ExitCodes.InputsFailed, await ScoreAsync(Gallery(withBrokenImage: true), quality: null, failOnVerdict: false));
    }

    [Fact]
    public async Task Score_with_fail_on_verdict_exits_1_on_a_rejection_and_0_when_all_pass()
    {
        var gallery = Gallery(withBrokenImage: false);

        Assert.Equal(ExitCodes.InputsFailed, await ScoreAsync(gallery, quality: 100, failOnVerdict: true));
        Assert.Equal(ExitCodes.Ok, await ScoreAsync(gallery, quality: -100, failOnVerdict: true));
    }

    [Fact]
    public async Task Cuda_asked_for_where_it_cannot_start_is_a_configuration_error_for_score_and_rescore()
    {
        // Test builds carry the CPU ONNX Runtime package, which has no CUDA provider: Cuda cannot start.
        var gallery = Gallery(withBrokenImage: false);
        using var output = new StringWriter();

        var score = await ScoreRunner.RunAsync(
            new ScoreSettings(DemoModel, gallery, _temp.Combine("cuda.jsonl"), new Thresholds(null, null), 4, 1, ExecutionProvider.Cuda),
            CancellationToken.None);
        var rescore = await RescoreCommandRunner.RunAsync(
            new RescoreSettings { Model = DemoModel, RunsRoot = _temp.Combine("runs-cuda"), Folder = gallery, Threads = 1, Provider = ExecutionProvider.Cuda },
            output,
            CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, score);
        Assert.Equal(ExitCodes.Usage, rescore);
    }

    [Fact]
    public async Task Rescore_uses_the_same_codes()
    {
        using var output = new StringWriter();
        RescoreSettings Settings(string folder, string runs) => new()
        {
            Model = DemoModel,
            RunsRoot = _temp.Combine(runs),
            Folder = folder,
            Threads = 1,
            Provider = ExecutionProvider.Cpu,
        };

        var clean = Gallery(withBrokenImage: false);
        Assert.Equal(ExitCodes.Ok, await RescoreCommandRunner.RunAsync(Settings(clean, "runs-clean"), output, CancellationToken.None));
        Assert.Equal(
            ExitCodes.InputsFailed,
            await RescoreCommandRunner.RunAsync(Settings(clean, "runs-strict") with { QualityThreshold = "100", FailOnVerdict = true }, output, CancellationToken.None));
        Assert.Equal(ExitCodes.InputsFailed, await RescoreCommandRunner.RunAsync(Settings(Gallery(withBrokenImage: true), "runs-broken"), output, CancellationToken.None));
    }
}
