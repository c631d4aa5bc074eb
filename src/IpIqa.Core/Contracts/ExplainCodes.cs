namespace IpIqa.Core.Contracts;

/// <summary>
/// Stable, documented codes of a refused explanation (<see cref="ResultExplanation.Error"/>). The job itself is
/// scored as usual: these are not error results, and the message is completed.
/// </summary>
public static class ExplainCodes
{
    /// <summary>This worker does not write explanations (<c>IpIqa:Sinks:Explain:Enabled</c> is false).</summary>
    public const string Disabled = "explain_disabled";

    /// <summary>The model bundle has no attention output (exported before explanations existed).</summary>
    public const string Unsupported = "explain_unsupported";

    /// <summary>
    /// Words were asked for, but the prompt has more words than the cap (<c>IpIqa:Sinks:Explain:MaxWords</c>): each word
    /// costs one more model run. The overlay and map are made; the words are not.
    /// </summary>
    public const string TooManyWords = "explain_too_many_words";
}
