using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Worker.Tests.Support;

/// <summary>A fact skipped, with the reason, when node/npm (for Azurite) or a fixture file is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresNodeAndFixturesFactAttribute : FactAttribute
{
    public RequiresNodeAndFixturesFactAttribute(params string[] requiredFixtures)
    {
        var reason = NodeTools.MissingReason() ?? Fixtures.MissingReason(requiredFixtures);
        if (reason is not null)
        {
            Skip = reason;
        }
    }
}
