using System.Text.Json;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>Journals for tests: writes one from records, and reads a running rescore's journal from outside, to kill the run part-way.</summary>
internal static class RunJournals
{
    /// <summary>Writes <paramref name="records"/> as a journal (one JSON line each, in the given order) to a new file under <paramref name="folder"/>.</summary>
    public static string Write(string folder, IEnumerable<RescoreRecord> records)
    {
        var path = Path.Combine(folder, $"journal-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path, records.Select(r => JsonSerializer.Serialize(r, RescoreJsonContext.Default.RescoreRecord)));
        return path;
    }

    /// <summary>Lines in the first journal under <paramref name="runsRoot"/> (0 while there is none), read while the run appends.</summary>
    public static int LinesUnder(string runsRoot)
    {
        if (!Directory.Exists(runsRoot) || Directory.GetFiles(runsRoot, "journal.jsonl", SearchOption.AllDirectories).FirstOrDefault() is not { } path)
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var count = 0;
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            count += b == '\n' ? 1 : 0;
        }

        return count;
    }

    /// <summary>Cancels <paramref name="kill"/> once <paramref name="lines"/> items are journalled under <paramref name="runsRoot"/>; ends when it is cancelled.</summary>
    public static Task CancelWhenJournalledAsync(string runsRoot, int lines, CancellationTokenSource kill) => Task.Run(async () =>
    {
        while (!kill.IsCancellationRequested)
        {
            if (LinesUnder(runsRoot) >= lines)
            {
                await kill.CancelAsync();
            }

            await Task.Delay(20);
        }
    });
}
