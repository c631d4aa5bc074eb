namespace IpIqa.Rescoring;

/// <summary>A place in the change feed: the segment (in time order), the shard (in its <c>meta.json</c> order), the chunk file (in name order), and the events of that chunk already read.</summary>
internal readonly record struct ChangeFeedPosition(int Segment, int Shard, int Chunk, long Event);
