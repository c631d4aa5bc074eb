namespace IpIqa.Rescoring;

/// <summary>What <see cref="PromptSidecar.Read"/> found: the trimmed <see cref="Text"/>, or a <see cref="ProblemCode"/> and its <see cref="Problem"/>.</summary>
internal readonly record struct SidecarPrompt(string? Text, string? ProblemCode, string? Problem);
