namespace IpIqa.Rescoring;

/// <summary>
/// One image of a gallery: its <see cref="Key"/> (unique within the source, the listing order),
/// where it is (<see cref="Location"/>: a blob URI or a file path), its size in bytes, a
/// <see cref="Version"/> that changes when the bytes change (ETag, or length and write time),
/// and its prompt; a null <see cref="Prompt"/> is reported as <c>prompt_missing</c>, never guessed.
/// </summary>
public sealed record RescoreItem(string Key, string Location, long Size, string Version, string? Prompt)
{
    /// <summary>The local file holding the image, when the source is on disk (read by the engine itself).</summary>
    public string? LocalPath { get; init; }

    /// <summary>Set when the source could not read this entry (for example a bad manifest line): the error code to report instead of scoring.</summary>
    public string? ProblemCode { get; init; }

    /// <summary>What is wrong with the entry, naming the file and line, when <see cref="ProblemCode"/> is set.</summary>
    public string? Problem { get; init; }

    /// <summary>Set when the source saw the image deleted (a change feed <c>BlobDeleted</c> event): an incremental run drops it from its results (#19).</summary>
    public bool Deleted { get; init; }
}
