using System.Globalization;

namespace IpIqa.Worker.Local;

/// <summary>
/// Reads local jobs: each non-blank line of a JSONL file (message id <c>FILE:LINE</c>), or each
/// <c>.json</c> file of a folder (message id = file name), skipping ids already seen.
/// </summary>
public static class LocalJobReader
{
    public static IReadOnlyList<LocalReceivedJob> ReadNew(string jobsPath, ISet<string> seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        var jobs = new List<LocalReceivedJob>();
        if (Directory.Exists(jobsPath))
        {
            foreach (var file in Directory.EnumerateFiles(jobsPath, "*.json").Order(StringComparer.Ordinal))
            {
                var id = Path.GetFileName(file);
                if (seen.Add(id))
                {
                    jobs.Add(new LocalReceivedJob(id, File.ReadAllBytes(file), File.GetLastWriteTimeUtc(file), 1));
                }
            }

            return jobs;
        }

        if (!File.Exists(jobsPath))
        {
            throw new FileNotFoundException($"IpIqa:Local:JobsPath '{Path.GetFullPath(jobsPath)}' is neither a JSONL file nor a folder.", jobsPath);
        }

        var enqueued = new DateTimeOffset(File.GetLastWriteTimeUtc(jobsPath));
        var name = Path.GetFileName(jobsPath);
        var number = 0;
        foreach (var line in File.ReadLines(jobsPath))
        {
            number++;
            var id = string.Create(CultureInfo.InvariantCulture, $"{name}:{number}");
            if (!string.IsNullOrWhiteSpace(line) && seen.Add(id))
            {
                jobs.Add(new LocalReceivedJob(id, System.Text.Encoding.UTF8.GetBytes(line), enqueued, 1));
            }
        }

        return jobs;
    }
}
