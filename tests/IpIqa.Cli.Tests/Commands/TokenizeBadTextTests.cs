using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Commands;

/// <summary><c>ipiqa tokenize --input</c> reports a line whose text is not valid Unicode and goes on (#11).</summary>
public sealed class TokenizeBadTextTests : IDisposable
{
    private readonly TempDirectory _temp = new("tokenize-bad-text");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_line_with_an_unpaired_surrogate_escape_is_named_and_the_others_are_tokenized()
    {
        var input = _temp.Combine("prompts.jsonl");
        File.WriteAllLines(input, ["""{"text": "a cat \ud800"}""", """{"text": "a dog"}"""]);

        var (exit, output, error) = await CliRunner.RunAsync("tokenize", "--model", Path.Combine(Fixtures.RepositoryRoot, "models", "demo"), "--input", input);

        Assert.Equal(1, exit);
        Assert.Contains("prompts.jsonl:1: not valid JSON", error, StringComparison.Ordinal);
        Assert.Contains("\"a dog\"", Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }
}
