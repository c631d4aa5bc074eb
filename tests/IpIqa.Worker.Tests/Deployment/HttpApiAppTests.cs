using System.Text.Json;
using IpIqa.Cli.Tests.Deployment;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>
/// The scoring API on Container Apps (infra/modules/http-api-app.bicep, compiled with the pinned Bicep CLI and its
/// expressions evaluated): internal ingress to the API's port, Entra ID, scaled on concurrent requests; and main.bicep
/// deploys it only when asked, leaving the queue worker as it was.
/// </summary>
public sealed class HttpApiAppTests
{
    private static readonly Dictionary<string, object> Parameters = new()
    {
        ["identityClientId"] = "00000000-0000-0000-0000-000000000001",
        ["blobServiceUri"] = "https://ipiqaaccount.blob.core.windows.net/",
        ["storageAccountName"] = "ipiqaaccount",
        ["imageContainerName"] = "images",
        ["appInsightsConnectionString"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000",
        ["modelBundlePath"] = "/app/models/bundle",
        ["cpu"] = "24",
        ["authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000002/v2.0",
        ["audience"] = "api://ipiqa-scoring",
        ["roles"] = new List<object>(),
        ["concurrentRequestsPerReplica"] = 16L,
        ["shutdownTimeoutSeconds"] = 90L,
    };

    [Fact]
    public async Task The_API_app_has_internal_ingress_to_the_port_the_API_listens_on()
    {
        var (app, evaluate) = await CompileAppAsync();
        var ingress = app.GetProperty("properties").GetProperty("configuration").GetProperty("ingress");
        var environment = Environment(app, evaluate);

        Assert.False(ingress.GetProperty("external").GetBoolean(), "the API's ingress must be internal");
        Assert.False(ingress.GetProperty("allowInsecure").GetBoolean());
        var targetPort = evaluate.Evaluate(ingress.GetProperty("targetPort")).ToString();
        Assert.Equal(environment["IpIqa__Http__Port"], targetPort);
        Assert.NotEqual(environment["IpIqa__Health__Port"], targetPort);
    }

    [Fact]
    public async Task The_API_app_serves_alone_and_requires_Entra_ID_tokens_of_the_given_authority_and_audience()
    {
        var (app, evaluate) = await CompileAppAsync();
        var environment = Environment(app, evaluate);

        var (options, transport) = DeployedHttpApi.Bind(DeploymentFiles.HttpApiApp, environment.Select(e => (e.Key, (string?)e.Value)));

        DeployedHttpApi.AssertServedAloneWithEntraId(DeploymentFiles.HttpApiApp, options, transport);
        Assert.Equal(Parameters["authority"], options.Authority);
        Assert.Equal(Parameters["audience"], options.Audience);
        Assert.Equal("23", environment["IpIqa__Preprocessing__Parallelism"]);
    }

    [Fact]
    public async Task The_API_app_requires_one_of_the_given_roles_as_IpIqa_Http_Roles()
    {
        var (app, evaluate) = await CompileAppAsync(new Dictionary<string, object>(Parameters) { ["roles"] = new List<object> { "Scorer", "Gate.Admin" } });
        var environment = Environment(app, evaluate);

        var (options, _) = DeployedHttpApi.Bind(DeploymentFiles.HttpApiApp, environment.Select(e => (e.Key, (string?)e.Value)));

        Assert.Equal("Scorer", environment["IpIqa__Http__Roles__0"]);
        Assert.Equal("Gate.Admin", environment["IpIqa__Http__Roles__1"]);
        Assert.Equal(["Scorer", "Gate.Admin"], options.Roles);
    }

    [Fact]
    public async Task Without_roles_the_API_app_sets_no_role_and_accepts_any_token_of_its_audience()
    {
        var (app, evaluate) = await CompileAppAsync();
        var environment = Environment(app, evaluate);

        var (options, _) = DeployedHttpApi.Bind(DeploymentFiles.HttpApiApp, environment.Select(e => (e.Key, (string?)e.Value)));

        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("IpIqa__Http__Roles", StringComparison.Ordinal));
        Assert.Empty(options.Roles);
        Assert.Equal("EntraId", environment["IpIqa__Http__Auth"]);
    }

    [Fact]
    public async Task The_API_app_scales_on_concurrent_requests_and_probes_the_health_port()
    {
        var (app, evaluate) = await CompileAppAsync();
        var template = app.GetProperty("properties").GetProperty("template");
        var environment = Environment(app, evaluate);

        var rule = Assert.Single(template.GetProperty("scale").GetProperty("rules").EnumerateArray().ToArray());
        Assert.Equal("16", evaluate.Evaluate(rule.GetProperty("http").GetProperty("metadata").GetProperty("concurrentRequests")));
        var probes = Assert.Single(template.GetProperty("containers").EnumerateArray().ToArray()).GetProperty("probes").EnumerateArray().ToArray();
        Assert.Equal(["Startup", "Liveness", "Readiness"], probes.Select(p => p.GetProperty("type").GetString()));
        Assert.All(probes, p => Assert.Equal(environment["IpIqa__Health__Port"], evaluate.Evaluate(p.GetProperty("httpGet").GetProperty("port")).ToString()));
    }

    [Fact]
    public async Task Main_deploys_the_API_only_when_enabled_and_leaves_the_queue_worker_without_ingress_on_its_queue_rule()
    {
        using var compiled = await BicepTemplate.CompileAsync("infra/main.bicep");
        var main = compiled.RootElement;
        var modules = main.GetProperty("resources"); // keyed by symbolic name (language version 2.0)

        Assert.False(main.GetProperty("parameters").GetProperty("httpApiEnabled").GetProperty("defaultValue").GetBoolean());
        Assert.Equal("[parameters('httpApiEnabled')]", modules.GetProperty("httpApi").GetProperty("condition").GetString());
        Assert.Equal(0, main.GetProperty("parameters").GetProperty("httpApiRoles").GetProperty("defaultValue").GetArrayLength());
        Assert.Equal("[parameters('httpApiRoles')]", modules.GetProperty("httpApi").GetProperty("properties").GetProperty("parameters").GetProperty("roles").GetProperty("value").GetString());
        var worker = Assert.Single(BicepTemplate.Resources(modules.GetProperty("worker").GetProperty("properties").GetProperty("template")));
        Assert.False(worker.GetProperty("properties").GetProperty("configuration").TryGetProperty("ingress", out _), "the queue worker must have no ingress");
        var rule = Assert.Single(worker.GetProperty("properties").GetProperty("template").GetProperty("scale").GetProperty("rules").EnumerateArray().ToArray());
        Assert.Equal("azure-servicebus", rule.GetProperty("custom").GetProperty("type").GetString());
    }

    /// <summary>Compiled once for the class: the Bicep CLI takes seconds per build.</summary>
    private static readonly Lazy<Task<JsonElement>> CompiledApp = new(async () =>
    {
        using var compiled = await BicepTemplate.CompileAsync(DeploymentFiles.HttpApiApp);
        return compiled.RootElement.Clone();
    });

    private static async Task<(JsonElement App, ArmExpression Evaluate)> CompileAppAsync(Dictionary<string, object>? parameters = null)
    {
        var template = await CompiledApp.Value;
        var app = Assert.Single(BicepTemplate.Resources(template), r => r.GetProperty("type").GetString() == "Microsoft.App/containerApps");
        return (app, new ArmExpression(template, parameters ?? Parameters));
    }

    /// <summary>The container's env, evaluated whole (a literal list, or a concat() with the role entries' copy loop).</summary>
    private static Dictionary<string, string> Environment(JsonElement app, ArmExpression evaluate)
    {
        var container = Assert.Single(app.GetProperty("properties").GetProperty("template").GetProperty("containers").EnumerateArray().ToArray());
        return Assert.IsType<List<object>>(evaluate.Evaluate(container.GetProperty("env")))
            .Select(e => Assert.IsType<Dictionary<string, object>>(e))
            .ToDictionary(e => Assert.IsType<string>(e["name"]), e => Assert.IsType<string>(e["value"]));
    }
}
