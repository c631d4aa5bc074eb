namespace IpIqa.Training.Training;

/// <summary>
/// What every stage is given on the command line: the data set, the tokenizer vocabulary, where the model
/// starts (<see cref="Init"/>, a checkpoint folder, or <see cref="ModelConfig"/> for a model from scratch)
/// and the run folder. <see cref="Resume"/> continues from <c>RUN/checkpoint</c> when it exists.
/// <see cref="ExcludedPrompts"/> are prompt texts a pretraining stage leaves out (<see cref="TestPromptGuard"/>).
/// </summary>
public sealed record StageInputs(
    string Data,
    string Images,
    Data.DatasetKind Kind,
    string Vocab,
    string? Init,
    string? ModelConfig,
    string RunFolder,
    bool Resume)
{
    public IReadOnlySet<string> ExcludedPrompts { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
