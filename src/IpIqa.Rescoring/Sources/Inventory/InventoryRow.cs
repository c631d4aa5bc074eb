namespace IpIqa.Rescoring;

/// <summary>One row of an inventory report: the blob's full name (<c>container/blob</c>), its size, a version (ETag, else the last-modified time), and its prompt from the metadata.</summary>
internal readonly record struct InventoryRow(string Name, long Size, string Version, string? Prompt);
