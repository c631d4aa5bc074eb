namespace IpIqa.Core.Jobs;

/// <summary>
/// An image's bytes and its identity: the location plus the version that was read (a blob's
/// URI and ETag, a file's full path, modification time and length). The identity is part of
/// the result key, so a changed image gets a new result while a redelivery rewrites the old one.
/// <see cref="Metadata"/> is the store's metadata of that same version (a blob's metadata, from the
/// download response), or null where the store has none (local files); a blob event's prompt is there.
/// </summary>
public sealed record FetchedImage(ReadOnlyMemory<byte> Bytes, string Identity, IReadOnlyDictionary<string, string>? Metadata = null);
