using System.Reflection;
using System.Text.RegularExpressions;
using IpIqa.Core.Errors;
using IpIqa.TestSupport;
using IpIqa.Worker.Configuration;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>The operator reference cannot drift from the code: every key is documented, and the error-code table is the list of codes.</summary>
public sealed partial class DocumentationContractTests
{
    [Fact]
    public void Every_key_an_Options_class_binds_is_documented()
    {
        var documented = DocumentedConfiguration.Load(DeploymentFiles.FullPath(DeploymentFiles.ConfigurationDoc));

        var missing = WorkerConfigurationSchema.Keys().Where(k => !documented.Contains(k)).Order(StringComparer.Ordinal).ToArray();

        Assert.True(missing.Length == 0, $"Bound but not in {DeploymentFiles.ConfigurationDoc}: {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_error_code_table_names_exactly_the_codes_of_ErrorCodes()
    {
        var codes = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var messages = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "docs", "messages.md"));
        var section = messages[messages.IndexOf("## Error codes", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];

        var documented = CodeRow().Matches(section).Select(m => m.Groups["code"].Value).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(codes, documented);
    }

    [GeneratedRegex(@"^\| `(?<code>[a-z_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex CodeRow();
}
