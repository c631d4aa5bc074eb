namespace IpIqa.Training.Data;

/// <summary>
/// One prompt-disjoint split. <see cref="Validation"/> is empty under the official protocol; under the
/// honest protocol it is carved from the training prompts, so model selection never sees the test prompts.
/// </summary>
public sealed record DatasetSplit(int Repeat, IReadOnlyList<IqaSample> Train, IReadOnlyList<IqaSample> Validation, IReadOnlyList<IqaSample> Test);
