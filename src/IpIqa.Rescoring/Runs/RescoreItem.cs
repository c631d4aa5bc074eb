using IpIqa.Core.Errors;

namespace IpIqa.Rescoring;

/// <summary>
/// One image of a gallery: its <see cref="Key"/> (unique within the source, the listing order),
/// where it is (<see cref="Location"/>: a blob URI or a file path), its size in bytes, a
/// <see cref="Version"/> that changes when the bytes change (ETag, or length and write time),
/// and its prompt; a null <see cref="Prompt"/> is reported as <c>prompt_missing</c>, never guessed.
/// </summary>
public sealed record RescoreItem(string Key, string Location, long Size, string Version, string? Prompt)
{
    private string? _prompt = Prompt;
    private string? _promptFile;
    private string? _problemCode;
    private string? _problem;

    /// <summary>
    /// The prompt: the one given, or, with <see cref="PromptFile"/>, that file's trimmed text, read
    /// when first asked for (a no-change rerun whose <see cref="PromptVersion"/> matches the previous
    /// run's never asks, #19).
    /// </summary>
    public string? Prompt
    {
        get
        {
            ReadPromptFile();
            return _prompt;
        }

        init => _prompt = value;
    }

    /// <summary>A text file (a folder's <c>.txt</c> sidecar) that <see cref="Prompt"/> is read from when first asked for.</summary>
    public string? PromptFile
    {
        get => _promptFile;
        init => _promptFile = value;
    }

    /// <summary>
    /// A version of the prompt's source that changes when the prompt can have (a sidecar's length and write time), or null:
    /// when it equals the previous run's, the prompt is the previous run's and is not read again (#19).
    /// </summary>
    public string? PromptVersion { get; init; }

    /// <summary>The local file holding the image, when the source is on disk (read by the engine itself).</summary>
    public string? LocalPath { get; init; }

    /// <summary>
    /// Set when the source could not read this entry (for example a bad manifest line, or a prompt file that is not a
    /// regular file or is too large): the error code to report instead of scoring.
    /// </summary>
    public string? ProblemCode
    {
        get
        {
            ReadPromptFile();
            return _problemCode;
        }

        init => _problemCode = value;
    }

    /// <summary>What is wrong with the entry, naming the file and line, when <see cref="ProblemCode"/> is set.</summary>
    public string? Problem
    {
        get
        {
            ReadPromptFile();
            return _problem;
        }

        init => _problem = value;
    }

    /// <summary>Set when the source saw the image deleted (a change feed <c>BlobDeleted</c> event): an incremental run drops it from its results (#19).</summary>
    public bool Deleted { get; init; }

    /// <summary>
    /// Reads <see cref="PromptFile"/> once, if set. A sidecar gone since the folder was read, or a dangling link, is no
    /// prompt; one that is not a regular file or is too large is the image's <c>prompt_invalid</c> (a FIFO used to block the run).
    /// </summary>
    private void ReadPromptFile()
    {
        if (Volatile.Read(ref _promptFile) is not { } file)
        {
            return;
        }

        var read = PromptSidecar.Read(file);
        _prompt = string.IsNullOrEmpty(read.Text) ? null : read.Text;
        if (read.ProblemCode == ErrorCodes.PromptInvalid)
        {
            _problemCode = read.ProblemCode;
            _problem = $"No prompt for '{Key}': {read.Problem}";
        }

        Volatile.Write(ref _promptFile, null); // after the prompt and problem, so a reader that finds no file finds them
    }
}
