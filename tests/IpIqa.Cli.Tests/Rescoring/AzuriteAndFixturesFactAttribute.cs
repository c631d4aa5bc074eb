using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>A fact that needs Azurite (node and npm) and the reference fixtures; skipped, naming what is absent, otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class AzuriteAndFixturesFactAttribute : FactAttribute
{
    public AzuriteAndFixturesFactAttribute(params string[] requiredFixtures)
    {
        var reason = NodeTools.MissingReason() ?? Fixtures.MissingReason(requiredFixtures);
        if (reason is not null)
        {
            Skip = reason;
        }
    }
}
