using System.CommandLine;
using IpIqa.Cli.Commands;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Commands;

/// <summary>How <c>ipiqa rescore</c> parses its URI options (System.CommandLine has no converter of its own for <see cref="Uri"/>).</summary>
public sealed class RescoreCommandTests
{
    private static (ParseResult Result, Func<RescoreSettings?> Settings) Parse(params string[] args)
    {
        RescoreSettings? parsed = null;
        var root = new RootCommand("ipiqa");
        root.Subcommands.Add(RescoreCommand.Create((settings, _, _) =>
        {
            parsed = settings;
            return Task.FromResult(0);
        }));
        return (root.Parse(args), () => parsed);
    }

    [Fact]
    public async Task ServiceUriAndRunsContainer_ParseAsAbsoluteUris()
    {
        var (result, settings) = Parse("rescore", "--model", "m", "--container", "images",
            "--service-uri", "https://account.blob.core.windows.net/", "--runs-container", "https://account.blob.core.windows.net/ipiqa-runs");

        Assert.Empty(result.Errors);
        Assert.Equal(0, await result.InvokeAsync());
        Assert.Equal(new Uri("https://account.blob.core.windows.net/"), settings()!.ServiceUri);
        Assert.Equal(new Uri("https://account.blob.core.windows.net/ipiqa-runs"), settings()!.RunsContainer);
    }

    [Theory]
    [InlineData("--service-uri", "account.blob.core.windows.net")]
    [InlineData("--runs-container", "runs/ipiqa-runs")]
    [InlineData("--runs-container", "ftp://account/ipiqa-runs")]
    public void ANonHttpOrRelativeUri_IsAParseErrorNamingTheOption(string option, string value)
    {
        var (result, _) = Parse("rescore", "--model", "m", "--container", "images", option, value);

        var error = Assert.Single(result.Errors);
        Assert.Equal($"{option} '{value}' is not an absolute http(s) URI.", error.Message);
    }

    [Theory]
    [InlineData("https://account.blob.core.windows.net/ipiqa-runs?sv=2024&sig=x", null, "no query")]
    [InlineData("https://account.blob.core.windows.net/", null, "must be a blob container URL")]
    [InlineData("https://account.blob.core.windows.net/ipiqa-runs/20261126-020000-3f9a1c/run.json", null, "must be a blob container URL")]
    [InlineData("https://other.blob.core.windows.net/ipiqa-runs", "DefaultEndpointsProtocol=https;AccountName=account;AccountKey=a2V5;EndpointSuffix=core.windows.net", "is not a container of the --connection-string account")]
    public void ARunsContainerThatIsNotAContainerItCanReach_IsRefusedWithTheReason(string url, string? connectionString, string reason)
    {
        var settings = new RescoreSettings { Model = "m", RunsRoot = "runs", Folder = ".", RunsContainer = new Uri(url), ConnectionString = connectionString };

        var error = Assert.Throws<InvalidDataException>(() => new RescoreSources(settings, RequestPacer.Unlimited).RunStore());

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutRunsContainer_ThereIsNoRunStore_AndWithOneOfTheConnectionStringAccountThereIs()
    {
        var settings = new RescoreSettings { Model = "m", RunsRoot = "runs", Folder = "." };
        Assert.Null(new RescoreSources(settings, RequestPacer.Unlimited).RunStore());

        var store = new RescoreSources(
            settings with
            {
                RunsContainer = new Uri("https://account.blob.core.windows.net/ipiqa-runs/"),
                ConnectionString = "DefaultEndpointsProtocol=https;AccountName=account;AccountKey=a2V5;EndpointSuffix=core.windows.net",
            },
            RequestPacer.Unlimited).RunStore();

        Assert.Equal("https://account.blob.core.windows.net/ipiqa-runs", store?.Description);
    }
}
