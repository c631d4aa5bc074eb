namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>Reads a running rescore's journal from outside, to kill the run part-way.</summary>
internal static class RunJournals
{
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
