namespace IpIqa.Worker.Hosting;

/// <summary>
/// Explanations for jobs that ask (<c>"explain": true</c>): <c>IpIqa:Sinks:Explain</c>. Off by default, because an
/// explained job costs an overlay and a stored pair of files, and a sender could otherwise ask it of every job.
/// When enabled, exactly one of <see cref="Folder"/> and <see cref="Container"/> says where they go.
/// </summary>
public sealed record ExplainSinkOptions
{
    public bool Enabled { get; init; }

    /// <summary>A local folder (created when missing).</summary>
    public string? Folder { get; init; }

    /// <summary>
    /// Most prompt words a job may have its words attributed for (<c>"explain": {"words": true}</c>): each word costs one
    /// more model run, so a sender cannot make one job arbitrarily dear. A longer prompt gets its overlay and map and
    /// <c>explain_too_many_words</c>. 1 to <see cref="MaxWordsLimit"/> (CLIP reads 77 tokens).
    /// </summary>
    public int MaxWords { get; init; } = Core.Jobs.ScoringOptions.DefaultMaxExplainWords;

    public const int MaxWordsLimit = 77;

    /// <summary>A blob container on the account of <c>IpIqa:Blob</c> (its <c>ServiceUri</c>, or its connection string in development).</summary>
    public string? Container { get; init; }
}
