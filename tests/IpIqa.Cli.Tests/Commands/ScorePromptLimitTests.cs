using System.Text.Json;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Commands;

/// <summary><c>ipiqa score</c> holds prompts to the worker's limit (IpIqa:Model:MaxPromptBytes, default 16,384 bytes), or to <c>--max-prompt-bytes</c> (#12).</summary>
public sealed class ScorePromptLimitTests : IDisposable
{
    private readonly TempDirectory _temp = new("score-prompt-limit");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_5KB_prompt_is_scored_and_16385_bytes_are_prompt_invalid_by_default()
    {
        var images = Images(("a", Prompt(5 * 1024)), ("b", Prompt(RequestLimits.DefaultMaxPromptBytes + 1)));

        var lines = await ScoreAsync(images);

        Assert.True(lines[0].TryGetProperty("scores", out _), lines[0].ToString());
        Assert.Equal(ErrorCodes.PromptInvalid, lines[1].GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("16385 UTF-8 bytes; the limit is 16384", lines[1].GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_prompt_bytes_sets_the_limit()
    {
        var images = Images(("a", Prompt(6000)), ("b", Prompt(6001)));

        var lines = await ScoreAsync(images, "--max-prompt-bytes", "6000");

        Assert.True(lines[0].TryGetProperty("scores", out _), lines[0].ToString());
        Assert.Equal(ErrorCodes.PromptInvalid, lines[1].GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1000001")]
    public async Task An_out_of_range_max_prompt_bytes_is_a_usage_error(string value)
    {
        var images = Images(("a", Prompt(10)));

        var (exit, _, _) = await CliRunner.RunAsync("score", "-m", DemoModel, "-i", images, "-o", _temp.Combine("r.jsonl"), "--max-prompt-bytes", value);

        Assert.Equal(2, exit);
        Assert.False(File.Exists(_temp.Combine("r.jsonl")));
    }

    private static string DemoModel => Path.Combine(Fixtures.RepositoryRoot, "models", "demo");

    private async Task<JsonElement[]> ScoreAsync(string images, params string[] extra)
    {
        var output = _temp.Combine("results.jsonl");
        var (exit, _, error) = await CliRunner.RunAsync(["score", "-m", DemoModel, "-i", images, "-o", output, "--provider", "Cpu", "-b", "2", .. extra]);

        Assert.True(exit == ExitCodes.InputsFailed, error); // each case holds one prompt over the limit
        return [.. File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement)];
    }

    private string Images(params (string Name, string Prompt)[] items)
    {
        var folder = Directory.CreateDirectory(_temp.Combine("images")).FullName;
        var sample = Path.Combine(Fixtures.RepositoryRoot, "samples", "good-clean.png");
        foreach (var (name, prompt) in items)
        {
            File.Copy(sample, Path.Combine(folder, name + ".png"));
            File.WriteAllText(Path.Combine(folder, name + ".txt"), prompt);
        }

        return folder;
    }

    /// <summary>A prompt of exactly <paramref name="bytes"/> UTF-8 bytes, in words (as a tokenizer sees real text).</summary>
    private static string Prompt(int bytes)
    {
        var words = string.Concat(Enumerable.Repeat("a red fox in snow ", (bytes / 18) + 1));
        return words[..bytes].TrimEnd() + new string('x', bytes - words[..bytes].TrimEnd().Length);
    }
}
