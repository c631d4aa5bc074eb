using System.Text.Json;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Commands;

public sealed class BenchPreprocessCommandTests
{
    private static readonly string[] Keys = ["images", "ms_per_image", "images_per_s", "threads", "size", "decoder"];

    [FixtureFact("ipiqa-reference/images")]
    public async Task BenchPreprocess_OnAFolder_PrintsOneJsonLineWithTheContractKeys()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("bench", "preprocess", "--input", Fixtures.PathOf("ipiqa-reference", "images"), "--size", "32", "--threads", "1", "--rounds", "1");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout.Trim());
        foreach (var key in Keys)
        {
            Assert.True(json.RootElement.TryGetProperty(key, out _), $"missing '{key}' in {stdout}");
        }

        Assert.Equal(32, json.RootElement.GetProperty("size").GetInt32());
        Assert.Equal(Directory.GetFiles(Fixtures.PathOf("ipiqa-reference", "images")).Length, json.RootElement.GetProperty("images").GetInt32());
    }

    [Fact]
    public async Task BenchPreprocess_OnTheSamplesFolder_BenchmarksItsImagesAndSkipsThePromptFiles()
    {
        var samples = Path.Combine(Fixtures.RepositoryRoot, "samples");
        var (code, stdout, stderr) = await CliRunner.RunAsync("bench", "preprocess", "--input", samples, "--size", "32", "--threads", "1", "--rounds", "1");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout.Trim());
        Assert.Equal(Directory.GetFiles(samples, "*.png").Length, json.RootElement.GetProperty("images").GetInt32());
    }

    [Fact]
    public async Task BenchPreprocess_MissingFolder_ExitsWithAnErrorNamingIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}");
        var (code, _, stderr) = await CliRunner.RunAsync("bench", "preprocess", "--input", missing);

        Assert.NotEqual(0, code);
        Assert.Contains(missing, stderr, StringComparison.Ordinal);
    }
}
