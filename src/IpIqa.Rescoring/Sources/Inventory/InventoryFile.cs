namespace IpIqa.Rescoring;

/// <summary>One report file of an inventory run: its blob name in the destination container and its size in bytes, as the manifest lists them.</summary>
internal sealed record InventoryFile(string Blob, long Size);
