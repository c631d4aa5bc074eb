namespace IpIqa.Core.Contracts;

/// <summary>
/// <see cref="Outcome"/> is <c>pass</c> or <c>fail</c>; <see cref="Failed"/> lists the checks that
/// failed, written as <c>quality&lt;0.40</c> (output, <c>&lt;</c>, threshold).
/// </summary>
public sealed record Verdict(string Outcome, IReadOnlyList<string> Failed)
{
    public const string Pass = "pass";
    public const string Fail = "fail";

    public bool Passed => Outcome == Pass;
}
