using System.Text.Json;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Deployment;

/// <summary>
/// The inventory policy of infra/modules/storage.bicep, compiled to ARM JSON and evaluated: the rule
/// it writes is one <c>ipiqa rescore --inventory</c> accepts (the same check a real manifest's rule
/// goes through), over the image container, and the path it hands the nightly job is where the
/// reports land.
/// </summary>
public sealed class DeployedInventoryTests
{
    private const string Storage = "infra/modules/storage.bicep";

    private static readonly Dictionary<string, object> StorageParameters = new()
    {
        ["name"] = "ipiqaaccount",
        ["location"] = "westeurope",
        ["tags"] = new Dictionary<string, object>(),
        ["imageContainerName"] = "images",
        ["resultsTableName"] = "scores",
        ["workerIdentityName"] = "ipiqa-worker",
        ["rescoreIdentityName"] = "ipiqa-rescore",
        ["runsContainerName"] = "ipiqa-runs",
        ["blobTagsEnabled"] = true,
    };

    [Theory]
    [InlineData("Parquet")]
    [InlineData("Csv")]
    public async Task The_inventory_rule_is_daily_over_the_image_container_with_every_field_rescore_reads(string format)
    {
        using var compiled = await BicepTemplate.CompileAsync(Storage);
        var parameters = new Dictionary<string, object>(StorageParameters) { ["inventoryEnabled"] = true, ["inventoryFormat"] = format };
        var arm = new ArmExpression(compiled.RootElement, parameters);
        var policy = Resource(compiled.RootElement, "Microsoft.Storage/storageAccounts/inventoryPolicies");
        Assert.Equal(true, arm.Evaluate(policy.GetProperty("condition")));

        var rule = Assert.Single(policy.GetProperty("properties").GetProperty("policy").GetProperty("rules").EnumerateArray().ToArray());
        var definition = (Dictionary<string, object>)arm.Evaluate(rule.GetProperty("definition"));
        var filters = (Dictionary<string, object>)definition["filters"];
        Assert.Equal("Daily", definition["schedule"]);
        Assert.Equal("ipiqa-inventory", arm.Evaluate(rule.GetProperty("destination")));

        // The manifest of a run of this rule names the rule as deployed: rescore must accept it for the image container.
        var manifest = new InventoryManifest(
            "2026/12/07/01-00-00/ipiqa-gallery/ipiqa-gallery-manifest.json",
            rule.GetProperty("name").GetString()!,
            "Succeeded",
            ((string)definition["format"]).ToLowerInvariant(),
            ((string)definition["objectType"]).ToLowerInvariant(),
            [.. ((List<object>)definition["schemaFields"]).Cast<string>()],
            [.. ((List<object>)filters["prefixMatch"]).Cast<string>()],
            (bool)filters["includeSnapshots"] || (bool)filters["includeBlobVersions"],
            []);
        Assert.Null(manifest.Unusable("images", ""));
        Assert.Null(manifest.Unusable("images", "2026/"));
        Assert.NotNull(manifest.Unusable("other", ""));

        Assert.Equal("ipiqa-inventory", arm.Evaluate(compiled.RootElement.GetProperty("outputs").GetProperty("inventoryPath").GetProperty("value")));
    }

    [Fact]
    public async Task Without_inventory_there_is_no_policy_no_container_and_no_path_for_the_job()
    {
        using var compiled = await BicepTemplate.CompileAsync(Storage);
        var arm = new ArmExpression(compiled.RootElement, StorageParameters);

        Assert.Equal(false, arm.Evaluate(Resource(compiled.RootElement, "Microsoft.Storage/storageAccounts/inventoryPolicies").GetProperty("condition")));
        Assert.Equal("", arm.Evaluate(compiled.RootElement.GetProperty("outputs").GetProperty("inventoryPath").GetProperty("value")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_change_feed_is_kept_for_a_week_only_when_the_nightly_job_reads_it(bool enabled)
    {
        using var compiled = await BicepTemplate.CompileAsync(Storage);
        var arm = new ArmExpression(compiled.RootElement, new Dictionary<string, object>(StorageParameters) { ["changeFeedEnabled"] = enabled });

        var properties = (Dictionary<string, object>)arm.Evaluate(Resource(compiled.RootElement, "Microsoft.Storage/storageAccounts/blobServices").GetProperty("properties"));

        Assert.Equal(enabled, properties.TryGetValue("changeFeed", out var feed) && (bool)((Dictionary<string, object>)feed)["enabled"]);
        if (enabled)
        {
            Assert.Equal(7L, ((Dictionary<string, object>)feed!)["retentionInDays"]);
        }
    }

    private static JsonElement Resource(JsonElement template, string type) =>
        Assert.Single(BicepTemplate.Resources(template), r => r.GetProperty("type").GetString() == type);
}
