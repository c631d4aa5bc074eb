namespace IpIqa.Rescoring;

/// <summary>
/// A journal whose records are already in strictly increasing ordinal key order, found by
/// <see cref="SortedJournal.TryScan"/>: the key and file offset of every stride-th record, the
/// record count and the last key, so the journal is read in place instead of being sorted (#19).
/// </summary>
internal sealed record JournalLayout(List<(string Key, long Offset)> Sparse, long Count, string? LastKey);
