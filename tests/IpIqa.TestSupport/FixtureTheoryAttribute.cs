namespace IpIqa.TestSupport;

/// <summary>A theory that is skipped, with a message naming the absent files, when a fixture is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FixtureTheoryAttribute : TheoryAttribute
{
    public FixtureTheoryAttribute(params string[] requiredFixtures)
    {
        var reason = Fixtures.MissingReason(requiredFixtures);
        if (reason is not null)
        {
            Skip = reason;
        }
    }
}
