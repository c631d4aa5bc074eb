using IpIqa.Core.Errors;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Commands;

/// <summary>
/// A mistyped command line (an unknown command or option, a missing or malformed value) is a usage error, exit code 2,
/// with a line that names the mistake: a pipeline that gates on 1 ("some inputs could not be scored") must not read a
/// typo as a partly scored run.
/// </summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly TempDirectory _temp = new("usage-errors");

    public void Dispose() => _temp.Dispose();

    private static string DemoModel => Path.Combine(Fixtures.RepositoryRoot, "models", "demo");

    private static string Samples => Path.Combine(Fixtures.RepositoryRoot, "samples");

    public static TheoryData<string[], string> Mistakes() => new()
    {
        { [], "Required command was not provided" },
        { ["scor"], "'scor'" },
        { ["score", "--model", "MODEL", "--input", "SAMPLES", "--out", "OUT", "--bogus"], "'--bogus'" },
        { ["score", "--model", "MODEL", "--input", "SAMPLES", "--out", "OUT", "--batch-size", "eight"], "'eight'" },
        { ["score", "--input", "SAMPLES", "--out", "OUT"], "'--model' is required" },
        { ["tokenize", "--model", "MODEL"], "Give either a TEXT argument or --input FILE.jsonl" },
        { ["tokenize", "--model", "MODEL", "--input", "MISSING.jsonl"], "does not exist" },
        { ["tokenize", "--model", "MISSING", "a red cube"], "MISSING" },
        { ["inspect", "--model", "MODEL", "--verbose"], "'--verbose'" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistyped_command_line_exits_2_and_names_the_mistake(string[] args, string named)
    {
        var output = _temp.Combine("out.jsonl");
        var resolved = args.Select(a => a switch
        {
            "MODEL" => DemoModel,
            "SAMPLES" => Samples,
            "OUT" => output,
            "MISSING" or "MISSING.jsonl" => _temp.Combine(a),
            _ => a,
        }).ToArray();

        var (exitCode, _, error) = await CliRunner.RunAsync(resolved);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.False(File.Exists(output), "nothing is scored");
    }

    [Fact]
    public async Task Help_is_not_an_error()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("score", "--help");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("--model", output, StringComparison.Ordinal);
    }
}
