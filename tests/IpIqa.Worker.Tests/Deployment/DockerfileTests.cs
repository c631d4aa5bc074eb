using System.Text.RegularExpressions;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>
/// Checks of the Dockerfile that a linter cannot make: it publishes with the script CI runs,
/// and its final stage is the hardened runtime the deployment files expect.
/// </summary>
public sealed partial class DockerfileTests
{
    private const string PublishScript = "build/publish-worker.sh";
    private const string CiScript = ".ci/validate-infra.sh";

    private static readonly string[] Lines = File.ReadAllLines(DeploymentFiles.FullPath(DeploymentFiles.Dockerfile));

    [Fact]
    public void The_image_and_CI_publish_with_the_same_script()
    {
        Assert.Contains(Lines, line => line.Contains($"bash {PublishScript} /app \"${{GPU}}\"", StringComparison.Ordinal));
        Assert.Contains($"bash {PublishScript} ", File.ReadAllText(DeploymentFiles.FullPath(CiScript)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GPU", "true")]
    [InlineData("MODEL_BUNDLE", "models/demo")]
    public void Build_arguments_have_their_documented_defaults(string name, string value) =>
        Assert.Contains($"ARG {name}={value}", Lines);

    [Fact]
    public void The_final_stage_is_a_runtime_base_picked_by_GPU_and_runs_as_the_app_user()
    {
        var stages = Stages();
        var final = stages[^1];
        Assert.Equal("FROM base-gpu-${GPU} AS final", final[0]);
        Assert.Contains("USER ${APP_UID}", final);
        Assert.Contains(final, line => line.StartsWith("ENTRYPOINT [\"dotnet\", \"/app/ipiqa-worker.dll\"]", StringComparison.Ordinal));

        // Both bases exist and neither is the SDK.
        var bases = stages.Select(s => FromLine().Match(s[0])).Where(m => m.Success)
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["image"].Value);
        Assert.Equal("${CUDA_IMAGE}", bases["base-gpu-true"]);
        Assert.Equal("dotnet-runtime", bases["base-gpu-false"]);
        Assert.Equal("${RUNTIME_IMAGE}", bases["dotnet-runtime"]);
        Assert.Equal("${SDK_IMAGE}", bases["build"]);
        Assert.DoesNotContain(final, line => line.Contains("--from=build /root", StringComparison.Ordinal));
    }

    [Fact]
    public void The_health_check_and_exposed_port_match_the_health_port_setting()
    {
        var final = Stages()[^1];
        var port = final.Select(line => HealthPortSetting().Match(line)).Single(m => m.Success).Groups["port"].Value;

        Assert.Contains($"EXPOSE {port}", final);
        var healthCheck = string.Join('\n', final.SkipWhile(line => !line.StartsWith("HEALTHCHECK", StringComparison.Ordinal)).Take(2));
        Assert.Contains("/healthz/ready", healthCheck, StringComparison.Ordinal);
        Assert.Contains("${IpIqa__Health__Port:-" + port + "}", healthCheck, StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_writes_only_to_tmp()
    {
        var final = string.Join('\n', Stages()[^1]);
        Assert.Contains("DOTNET_EnableDiagnostics=0", final, StringComparison.Ordinal);
        Assert.Contains("TMPDIR=/tmp", final, StringComparison.Ordinal);
        Assert.Contains("CUDA_CACHE_PATH=/tmp/", final, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_runtime_bases_install_the_native_jpeg_and_webp_decoders()
    {
        // IpIqa.Imaging loads libturbojpeg.so.0, libwebp.so.7 and libspng.so.0: Ubuntu 24.04 ships them in 'libturbojpeg',
        // 'libwebp7' and 'libspng0', Debian 12 in 'libturbojpeg0', 'libwebp7' and 'libspng0'. Without them decoding falls back to ImageSharp
        // at 3-5x the CPU cost. libdeflate.so.0 ('libdeflate0' on both) is the PNG fast path: without it PNG costs about 1.6x. Each base installs them through build/apt-install.sh, which picks the name its
        // distribution has (AptInstallScriptTests), mounted for the step only.
        Assert.Contains(Lines, line => line.StartsWith("ARG NATIVE_DECODERS=\"", StringComparison.Ordinal) && line.Contains("libturbojpeg|libturbojpeg0", StringComparison.Ordinal) && line.Contains("libwebp7", StringComparison.Ordinal) && line.Contains("libspng0", StringComparison.Ordinal) && line.Contains("libdeflate0", StringComparison.Ordinal));
        var stages = Stages();
        foreach (var name in new[] { "base-gpu-true", "base-gpu-false" })
        {
            var stage = string.Join('\n', stages.Single(s => s[0].EndsWith($" AS {name}", StringComparison.Ordinal)));
            Assert.Contains("ARG NATIVE_DECODERS", stage, StringComparison.Ordinal);
            Assert.Contains("RUN --mount=type=bind,source=build/apt-install.sh,target=/tmp/apt-install.sh", stage, StringComparison.Ordinal);
            Assert.Matches(@"bash /tmp/apt-install.sh [^\n]*\$\{NATIVE_DECODERS\}", stage);
            Assert.DoesNotContain("apt-get install", stage, StringComparison.Ordinal);
        }
    }

    /// <summary>The instruction lines of each stage, starting with its FROM line.</summary>
    private static List<List<string>> Stages()
    {
        var stages = new List<List<string>>();
        foreach (var line in Lines.Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (line.StartsWith("FROM ", StringComparison.Ordinal))
            {
                stages.Add([]);
            }

            stages.LastOrDefault()?.Add(line.Trim());
        }

        return stages;
    }

    [GeneratedRegex(@"^FROM (?<image>\S+) AS (?<name>\S+)$")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"IpIqa__Health__Port=(?<port>\d+)")]
    private static partial Regex HealthPortSetting();
}
