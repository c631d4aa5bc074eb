namespace IpIqa.Core.Tokenization;

/// <summary>
/// A tokenized prompt: <see cref="Ids"/> padded to the context length, the token strings of the
/// non-padding positions, and whether the prompt was cut to fit.
/// </summary>
public sealed record TokenizedPrompt(long[] Ids, IReadOnlyList<string> Tokens, bool Truncated);
