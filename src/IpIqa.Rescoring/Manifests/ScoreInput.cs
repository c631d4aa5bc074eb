namespace IpIqa.Rescoring;

/// <summary>
/// One line of the input: the image as written (<see cref="Image"/>), its resolved path, and its
/// prompt; or, when the entry cannot be scored (no prompt, a bad manifest line), the
/// <see cref="ProblemCode"/> and <see cref="Problem"/> to report in its place.
/// </summary>
internal sealed record ScoreInput(string Image, string ImagePath, string? Prompt, string? ProblemCode = null, string? Problem = null);
