using IpIqa.TestSupport.Loopback;

namespace IpIqa.TestSupport;

/// <summary>A fact that is skipped, with a message naming what is absent, when node or npm is not on the PATH.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresNodeFactAttribute : FactAttribute
{
    public RequiresNodeFactAttribute()
    {
        var reason = NodeTools.MissingReason();
        if (reason is not null)
        {
            Skip = reason;
        }
    }
}
