using System.CommandLine;
using System.Text.RegularExpressions;
using IpIqa.Cli.Commands;
using IpIqa.TestSupport;
using IpIqa.Worker.Tests.Deployment;
using YamlDotNet.RepresentationModel;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Deployment;

/// <summary>
/// The nightly job's command line, as the Container Apps job (Bicep, compiled to ARM JSON and
/// evaluated) and the Kubernetes CronJob pass it, parsed by the real <c>ipiqa rescore</c> parser:
/// one source, <c>--enqueue</c> onto a Service Bus queue, and the runs kept in a blob container.
/// </summary>
public sealed partial class DeployedRescoreArgumentsTests
{
    private const string RescoreJob = "infra/modules/rescore-job.bicep";
    private const string RescoreCronJob = "infra/k8s/rescore-cronjob.yaml";

    private static readonly Dictionary<string, object> JobParameters = new()
    {
        ["modelBundlePath"] = "/app/models/bundle",
        ["blobServiceUri"] = "https://ipiqaaccount.blob.core.windows.net/",
        ["imageContainerName"] = "images",
        ["promptMetadataKey"] = "prompt",
        ["serviceBusFullyQualifiedNamespace"] = "ipiqa-ns.servicebus.windows.net",
        ["jobsQueueName"] = "ipiqa-jobs",
        ["runsContainerUri"] = "https://ipiqaaccount.blob.core.windows.net/ipiqa-runs",
    };

    [Fact]
    public async Task The_container_apps_job_arguments_make_a_valid_enqueue_run_that_keeps_its_runs_in_blob_storage()
    {
        var settings = await ParseAsync(await JobArgumentsAsync(JobParameters));

        await AssertDeployableAsync(settings);
        Assert.Equal("/app/models/bundle", settings.Model);
        Assert.Equal("images", settings.Container);
        Assert.Equal(new Uri("https://ipiqaaccount.blob.core.windows.net/"), settings.ServiceUri);
        Assert.Equal("ipiqa-ns.servicebus.windows.net", settings.QueueEndpoint);
        Assert.Equal("ipiqa-jobs", settings.QueueName);
        Assert.Equal(new Uri("https://ipiqaaccount.blob.core.windows.net/ipiqa-runs"), settings.RunsContainer);
        Assert.Equal(200, settings.RequestsPerSecond); // the template's default
        Assert.Null(settings.Inventory); // no inventory configured: the job lists the container, per prefix in parallel
        Assert.Equal(8, settings.ListConcurrency);
    }

    [Fact]
    public async Task The_container_apps_job_reads_the_inventory_when_one_is_configured()
    {
        var parameters = new Dictionary<string, object>(JobParameters) { ["inventoryPath"] = "ipiqa-inventory" };

        var settings = await ParseAsync(await JobArgumentsAsync(parameters));

        await AssertDeployableAsync(settings);
        Assert.Equal("ipiqa-inventory", settings.Inventory);
        Assert.Equal("images", settings.Container);
    }

    [Fact]
    public async Task The_container_apps_job_reads_the_change_feed_when_so_configured()
    {
        var parameters = new Dictionary<string, object>(JobParameters) { ["changeFeed"] = true, ["inventoryPath"] = "ipiqa-inventory" };

        var settings = await ParseAsync(await JobArgumentsAsync(parameters));

        await AssertDeployableAsync(settings);
        Assert.True(settings.ChangeFeed);
        Assert.Null(settings.Inventory); // one enumeration: the change feed wins
    }

    [Fact]
    public async Task The_kubernetes_cron_job_reads_the_inventory_with_its_commented_arguments_restored()
    {
        var settings = await ParseAsync([.. CronJobArguments(), .. CronJobCommentedArguments()]);

        await AssertDeployableAsync(settings);
        Assert.Equal("ipiqa-inventory", settings.Inventory);
    }

    [Fact]
    public async Task The_container_apps_job_passes_its_prompt_key_rate_and_extra_arguments_through()
    {
        var parameters = new Dictionary<string, object>(JobParameters)
        {
            ["promptMetadataKey"] = "caption",
            ["requestsPerSecond"] = 35L,
            ["extraArguments"] = new List<object> { "--quality-threshold", "p20", "--page-size", "1000" },
        };

        var settings = await ParseAsync(await JobArgumentsAsync(parameters));

        await AssertDeployableAsync(settings);
        Assert.Equal("caption", settings.PromptKey);
        Assert.Equal(35, settings.RequestsPerSecond);
        Assert.Equal("p20", settings.QualityThreshold);
        Assert.Equal(1000, settings.PageSize);
    }

    [Fact]
    public async Task The_kubernetes_cron_job_arguments_make_a_valid_enqueue_run_that_keeps_its_runs_in_blob_storage()
    {
        var settings = await ParseAsync(CronJobArguments());

        await AssertDeployableAsync(settings);
        Assert.Equal("/app/models/bundle", settings.Model);
        Assert.Equal("ipiqa-jobs", settings.QueueName);
        Assert.Equal(8, settings.ListConcurrency);
    }

    [Fact]
    public async Task The_bare_command_the_job_ran_before_names_no_source_and_is_refused()
    {
        var settings = await ParseAsync(["rescore", "--model", "/app/models/bundle"]);

        var error = Assert.Throws<InvalidDataException>(() => new RescoreSources(settings, RequestPacer.Unlimited));

        Assert.Contains("Name exactly one source", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--inventory ipiqa-inventory", "--inventory and --change-feed need --container")]
    [InlineData("--change-feed", "--inventory and --change-feed need --container")]
    [InlineData("--container images --inventory inv --change-feed", "Name one of --inventory")]
    [InlineData("--container images --inventory Bad_Name/2026", "must be CONTAINER[/PATH]")]
    [InlineData("--container images --list-concurrency 0", "--list-concurrency 0 must be between 1 and 64")]
    public async Task An_enumeration_option_without_its_container_or_out_of_range_is_refused_naming_it(string options, string expected)
    {
        var settings = await ParseAsync(["rescore", "--model", "m", "--service-uri", "https://ipiqaaccount.blob.core.windows.net/", .. options.Split(' ')]);

        var error = await Record.ExceptionAsync(async () =>
        {
            await using var sources = new RescoreSources(settings, RequestPacer.Unlimited);
            _ = sources.Source();
        });

        Assert.Contains(expected, Assert.IsType<InvalidDataException>(error).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kafka")]
    [InlineData("local")]
    [InlineData("http")]
    public void A_queue_kind_with_no_queue_is_a_usage_error_naming_the_kinds(string kind)
    {
        var root = new RootCommand("ipiqa");
        root.Subcommands.Add(RescoreCommand.Create((_, _, _) => Task.FromResult(0)));

        var result = root.Parse(["rescore", "--model", "m", "--folder", ".", "--enqueue", "--queue", "q", "--queue-kind", kind]);

        var error = Assert.Single(result.Errors);
        Assert.Contains("use storage-queue or service-bus", error.Message, StringComparison.Ordinal);
    }

    /// <summary>What the deployed job must be: one blob source, enqueued to Service Bus, runs in a blob container, paced, working in /tmp.</summary>
    private static async Task AssertDeployableAsync(RescoreSettings settings)
    {
        using var pacer = new RequestPacer(settings.RequestsPerSecond);
        await using var sources = new RescoreSources(settings, pacer); // throws unless exactly one source, reachable
        var source = sources.Source();
        Assert.StartsWith(settings.ChangeFeed ? "changefeed:https://" : settings.Inventory is null ? "blob:https://" : "inventory:https://", source.Description, StringComparison.Ordinal);
        Assert.True(settings.Enqueue, "the job must enqueue for the worker fleet, not score on its CPU");
        Assert.False(settings.DryRun);
        Assert.Equal(IpIqa.Core.Jobs.TransportKind.ServiceBus, settings.QueueKind);
        await using (var queue = sources.Queue())
        {
            Assert.StartsWith("service-bus:", queue.Description, StringComparison.Ordinal);
        }

        var store = sources.RunStore();
        Assert.NotNull(store);
        Assert.StartsWith("https://", store.Description, StringComparison.Ordinal);
        Assert.StartsWith("/tmp/", settings.RunsRoot, StringComparison.Ordinal); // the only writable path of the image
        Assert.InRange(settings.RequestsPerSecond, 1, 10_000);
    }

    /// <summary>Parses with the real <c>rescore</c> command, through the root command as <c>ipiqa</c> does.</summary>
    private static async Task<RescoreSettings> ParseAsync(IReadOnlyList<string> args)
    {
        RescoreSettings? parsed = null;
        var root = new RootCommand("ipiqa");
        root.Subcommands.Add(RescoreCommand.Create((settings, _, _) =>
        {
            parsed = settings;
            return Task.FromResult(0);
        }));

        var result = root.Parse(args);
        Assert.True(result.Errors.Count == 0, $"ipiqa {string.Join(' ', args)}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
        Assert.Equal(0, await result.InvokeAsync());
        return parsed ?? throw new InvalidOperationException("the rescore action did not run");
    }

    private static async Task<IReadOnlyList<string>> JobArgumentsAsync(Dictionary<string, object> parameters)
    {
        using var compiled = await BicepTemplate.CompileAsync(RescoreJob);
        var template = compiled.RootElement;
        var job = Assert.Single(BicepTemplate.Resources(template), r => r.GetProperty("type").GetString() == "Microsoft.App/jobs");
        var container = Assert.Single(job.GetProperty("properties").GetProperty("template").GetProperty("containers").EnumerateArray().ToArray());
        Assert.Equal(["dotnet", "/app/ipiqa.dll"], container.GetProperty("command").EnumerateArray().Select(c => c.GetString()));
        var args = new ArmExpression(template, parameters).Evaluate(container.GetProperty("args"));
        return Assert.IsType<List<object>>(args).Select(a => Assert.IsType<string>(a)).ToArray();
    }

    /// <summary>The CronJob's args, with each <c>&lt;placeholder&gt;</c> replaced by a plain name (as an operator would).</summary>
    private static string[] CronJobArguments()
    {
        var cron = YamlDocuments.Load(Path.Combine(Fixtures.RepositoryRoot, RescoreCronJob))
            .Select(d => (YamlMappingNode)d.RootNode)
            .Single(d => d.Scalar("kind") == "CronJob");
        var container = (YamlMappingNode)Assert.Single(cron.Sequence("spec", "jobTemplate", "spec", "template", "spec", "containers")!.Children);
        Assert.Equal(["dotnet", "/app/ipiqa.dll"], container.Sequence("command")!.OfType<YamlScalarNode>().Select(n => n.Value));
        return [.. container.Sequence("args")!.OfType<YamlScalarNode>().Select(n => Placeholder().Replace(n.Value!, m => m.Groups[1].Value.Replace("-", "", StringComparison.Ordinal)))];
    }

    /// <summary>The optional arguments the CronJob carries as comments (<c># - --inventory</c>), for an operator to restore.</summary>
    private static string[] CronJobCommentedArguments() =>
        [.. File.ReadLines(Path.Combine(Fixtures.RepositoryRoot, RescoreCronJob)).Select(l => CommentedArgument().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^\s*# - (\S+)$")]
    private static partial Regex CommentedArgument();

    [GeneratedRegex("<([a-z0-9-]+)>")]
    private static partial Regex Placeholder();
}
