namespace IpIqa.Worker.Local;

/// <summary>
/// Where the reading of a JSONL jobs file stopped: the byte offset of the first line not yet read and
/// the number of lines before it, so that the next poll reads only what was appended (#19).
/// </summary>
public sealed class LocalJobCursor
{
    /// <summary>The byte offset of the first line not read yet.</summary>
    public long Offset { get; internal set; }

    /// <summary>How many lines come before <see cref="Offset"/> (blank ones included): the next line is number <see cref="Line"/> + 1.</summary>
    public int Line { get; internal set; }
}
