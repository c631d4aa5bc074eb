namespace IpIqa.TestSupport;

/// <summary>A fact that is skipped, with a message naming the absent files, when a fixture is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FixtureFactAttribute : FactAttribute
{
    public FixtureFactAttribute(params string[] requiredFixtures)
    {
        var reason = Fixtures.MissingReason(requiredFixtures);
        if (reason is not null)
        {
            Skip = reason;
        }
    }
}
