using System.Text.Json;
using IpIqa.Core.Bundles;
using IpIqa.Core.Errors;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Commands;

public sealed class TokenizeCommandTests : IDisposable
{
    private const string BpeFixture = "clip-bpe/bpe_simple_vocab_16e6.txt.gz";
    private const string CasesFixture = "clip-bpe/cases.jsonl";
    private const string GzName = "bpe_simple_vocab_16e6.txt.gz";

    private readonly TempDirectory _bundle = new("ipiqa-bundle");

    public void Dispose() => _bundle.Dispose();

    [FixtureFact(BpeFixture, CasesFixture)]
    public async Task Input_ReferenceCasesAndBadLines_WritesReferenceIdsAndNamesBadLineNumbers()
    {
        WriteBundle();
        var cases = ReadCases();
        var lines = cases.Select(c => JsonSerializer.Serialize(new { text = c.Text })).ToList();
        lines.Insert(2, "{ not json");
        lines.Insert(5, "{\"caption\": \"neither key\"}");
        var input = _bundle.Combine("prompts.jsonl");
        File.WriteAllLines(input, lines);

        var (exitCode, output, error) = await CliRunner.RunAsync("tokenize", "--model", _bundle.Path, "--input", input);

        Assert.Equal(1, exitCode);
        Assert.Contains("prompts.jsonl:3: not valid JSON", error, StringComparison.Ordinal);
        Assert.Contains("prompts.jsonl:6: the object has no \"text\" or \"prompt\" string", error, StringComparison.Ordinal);
        var written = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cases.Count, written.Length);
        for (var i = 0; i < cases.Count; i++)
        {
            using var line = JsonDocument.Parse(written[i]);
            var root = line.RootElement;
            var ids = root.GetProperty("ids").EnumerateArray().Select(id => id.GetInt64()).ToArray();
            Assert.Equal(cases[i].Text, root.GetProperty("text").GetString());
            Assert.Equal(cases[i].Ids, ids);
            Assert.Equal(cases[i].Truncated, root.GetProperty("truncated").GetBoolean());
            Assert.Equal(ids.TakeWhile((id, index) => index == 0 || id != 0).Count(), root.GetProperty("tokens").GetArrayLength());
        }
    }

    [Fact]
    public async Task Input_AScoringManifest_TokenizesEachPromptField_LikeTheSameTextLines()
    {
        var demo = Path.Combine(Fixtures.RepositoryRoot, "models", "demo");
        var manifest = Path.Combine(Fixtures.RepositoryRoot, "samples", "jobs.jsonl");
        var prompts = File.ReadAllLines(manifest).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("prompt").GetString()!).ToArray();
        var asText = _bundle.Combine("as-text.jsonl");
        File.WriteAllLines(asText, prompts.Select(p => JsonSerializer.Serialize(new { text = p })));

        var (exitCode, output, error) = await CliRunner.RunAsync("tokenize", "--model", demo, "--input", manifest);
        var (_, expected, _) = await CliRunner.RunAsync("tokenize", "--model", demo, "--input", asText);

        Assert.True(exitCode == 0, error);
        Assert.Equal(prompts.Length, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(expected, output);
    }

    [FixtureFact(BpeFixture, CasesFixture)]
    public async Task InputWithOut_WritesTheFileAndNothingToStandardOutput()
    {
        WriteBundle();
        var reference = ReadCases()[3];
        var input = _bundle.Combine("prompts.jsonl");
        File.WriteAllText(input, JsonSerializer.Serialize(new { text = reference.Text }) + "\n\n");
        var outFile = _bundle.Combine("tokens.jsonl");

        var (exitCode, output, _) = await CliRunner.RunAsync("tokenize", "-m", _bundle.Path, "-i", input, "--out", outFile);

        Assert.Equal(0, exitCode);
        Assert.Empty(output);
        var written = Assert.Single(File.ReadAllLines(outFile));
        using var line = JsonDocument.Parse(written);
        Assert.Equal(reference.Ids, line.RootElement.GetProperty("ids").EnumerateArray().Select(id => id.GetInt64()));
        Assert.Contains("<|startoftext|>", written, StringComparison.Ordinal);
    }

    [FixtureFact(BpeFixture)]
    public async Task Text_PrintsTableOfIdsAndTokensAndTheTruncationVerdict()
    {
        WriteBundle();

        var (exitCode, output, _) = await CliRunner.RunAsync("tokenize", "--model", _bundle.Path, "a photo of a cat");

        Assert.Equal(0, exitCode);
        Assert.Contains("photo</w>", output, StringComparison.Ordinal);
        Assert.Contains("<|endoftext|>", output, StringComparison.Ordinal);
        Assert.Contains("Truncated: no. 7 of 77 positions used", output, StringComparison.Ordinal);
    }

    [FixtureFact(BpeFixture)]
    public async Task Text_LongerThanTheContext_SaysItWasTruncated()
    {
        WriteBundle();

        var (exitCode, output, _) = await CliRunner.RunAsync("tokenize", "--model", _bundle.Path, string.Join(' ', Enumerable.Repeat("word", 100)));

        Assert.Equal(0, exitCode);
        Assert.Contains("Truncated: yes. The prompt needs 102 tokens", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingBundle_ExitsWithTwoAndAClearError()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("tokenize", "--model", _bundle.Combine("absent"), "a cat");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BundleWithMalformedManifest_ExitsWithTwoNamingTheFile()
    {
        File.WriteAllText(_bundle.Combine(BundleManifest.FileName), "{ \"name\": ");

        var (exitCode, _, error) = await CliRunner.RunAsync("tokenize", "--model", _bundle.Path, "a cat");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(BundleManifest.FileName, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextAndInputTogether_IsAUsageError()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("tokenize", "--model", _bundle.Path, "--input", "x.jsonl", "a cat");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("either a TEXT argument or --input", error, StringComparison.Ordinal);
    }

    private void WriteBundle()
    {
        File.Copy(Fixtures.PathOf(BpeFixture), _bundle.Combine(GzName));
        BundleManifestSerializer.WriteToFolder(
            new BundleManifest
            {
                Name = "ipiqa-test",
                Version = "0.0.1",
                Architecture = new BundleArchitecture(),
                Input = new BundleInput { Resolution = 320 },
                Tokenizer = new BundleTokenizer { Bpe = GzName },
                Graphs = new BundleGraphs
                {
                    Text = new BundleGraph { File = "text.onnx", Sha256 = "0" },
                    Image = new BundleGraph { File = "image.onnx", Sha256 = "1" },
                },
            },
            _bundle.Path);
    }

    private static List<(string Text, long[] Ids, bool Truncated)> ReadCases() =>
        [.. File.ReadLines(Fixtures.PathOf(CasesFixture)).Where(l => l.Length > 0).Select(l =>
        {
            using var document = JsonDocument.Parse(l);
            var root = document.RootElement;
            return (root.GetProperty("text").GetString()!, root.GetProperty("ids").EnumerateArray().Select(id => id.GetInt64()).ToArray(), root.GetProperty("truncated").GetBoolean());
        })];
}
