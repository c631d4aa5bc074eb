namespace IpIqa.Rescoring;

/// <summary>The end of a run: its folder and counts (<see cref="RescoreProgress"/>).</summary>
public sealed record RescoreSummary(RunFolder Run, RescoreProgress Counts, bool Resumed);
