namespace IpIqa.Cli.Scoring;

/// <summary>What each request of a run asks for: the overlay and map (<c>--explain</c>) and the per-word attribution (<c>--explain-words</c>).</summary>
internal readonly record struct ExplainRequest(bool Overlay, bool Words);
