namespace IpIqa.Rescoring;

/// <summary>A merge-join on key of two key-ordered record streams (one record per key), so neither is held.</summary>
internal static class RecordPairs
{
    /// <summary>
    /// Every key of <paramref name="records"/> and <paramref name="previous"/> (null: none) in ordinal
    /// order, with its record in each (null where a stream lacks it).
    /// </summary>
    /// <exception cref="ArgumentException">A stream is not in strictly increasing key order.</exception>
    public static IEnumerable<(RescoreRecord? Now, RescoreRecord? Then)> Join(IEnumerable<RescoreRecord> records, IEnumerable<RescoreRecord>? previous)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var before = Ordered(previous ?? [], "previous").GetEnumerator();
        var more = before.MoveNext();
        foreach (var record in Ordered(records, "records"))
        {
            while (more && string.CompareOrdinal(before.Current.Key, record.Key) < 0)
            {
                yield return (null, before.Current);
                more = before.MoveNext();
            }

            var matched = more && before.Current.Key == record.Key ? before.Current : null;
            yield return (record, matched);
            if (matched is not null)
            {
                more = before.MoveNext();
            }
        }

        for (; more; more = before.MoveNext())
        {
            yield return (null, before.Current);
        }
    }

    private static IEnumerable<RescoreRecord> Ordered(IEnumerable<RescoreRecord> records, string name)
    {
        string? last = null;
        foreach (var record in records)
        {
            if (last is not null && string.CompareOrdinal(last, record.Key) >= 0)
            {
                throw new ArgumentException($"The report's {name} must be in increasing key order: '{record.Key}' follows '{last}'.", nameof(records));
            }

            last = record.Key;
            yield return record;
        }
    }
}
