using System.Globalization;
using System.Text.Json;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;

namespace IpIqa.Worker.Local;

/// <summary>
/// Reads local jobs: each complete, non-blank line of a JSONL file (message id <c>FILE:LINE</c>), or each
/// <c>.json</c> file of a folder (message id = file name), skipping ids already seen. Bodies are the
/// bytes as written (invalid UTF-8 stays invalid and fails as <c>message_invalid</c>).
/// <para>
/// A job that may still be being written is left for a later poll, not marked seen: a last line without
/// its newline, and a <c>.json</c> file that does not parse, until the file has not changed for
/// <c>settle</c> (after that it is read as it is). With <c>complete</c> (a drain) everything is read now.
/// </para>
/// <para>
/// Anyone who can write to the folder is a sender, so a <c>.json</c> entry is opened as a regular file
/// without blocking (<see cref="RegularFile"/>): a FIFO, device or socket, or a link to one, is skipped
/// and reported through <c>skipped</c>, never read. At most <see cref="RequestLimits.MaxMessageBytes"/>
/// + 1 bytes are read, enough for the parser to refuse a larger file as too large.
/// </para>
/// </summary>
public static class LocalJobReader
{
    public static IReadOnlyList<LocalReceivedJob> ReadNew(string jobsPath, ISet<string> seen, TimeSpan settle, DateTimeOffset now, bool complete, Action<string, string>? skipped = null) =>
        ReadNew(jobsPath, seen, settle, now, complete, new LocalJobCursor(), skipped);

    /// <summary>
    /// As <see cref="ReadNew(string, ISet{string}, TimeSpan, DateTimeOffset, bool, Action{string, string}?)"/>; a JSONL file is read
    /// on from <paramref name="cursor"/>, which then points past the last line read, so a poll reads only what was appended,
    /// a block at a time, whatever the file's size (#19). A line is kept up to <see cref="RequestLimits.MaxMessageBytes"/> + 1
    /// bytes, enough for the parser to refuse it as too large. A file shorter than the cursor (replaced) is read from its start.
    /// </summary>
    public static IReadOnlyList<LocalReceivedJob> ReadNew(string jobsPath, ISet<string> seen, TimeSpan settle, DateTimeOffset now, bool complete, LocalJobCursor cursor, Action<string, string>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentNullException.ThrowIfNull(cursor);
        if (Directory.Exists(jobsPath))
        {
            return ReadFolder(jobsPath, seen, settle, now, complete, skipped ?? ((_, _) => { }));
        }

        if (!File.Exists(jobsPath))
        {
            throw new FileNotFoundException($"IpIqa:Local:JobsPath '{Path.GetFullPath(jobsPath)}' is neither a JSONL file nor a folder.", jobsPath);
        }

        var written = new DateTimeOffset(File.GetLastWriteTimeUtc(jobsPath));
        var settled = complete || now - written >= settle;
        // The operator's own file; RegularFile refuses a FIFO or device named by mistake.
        using var file = RegularFile.Open(jobsPath, jobsPath, followLinks: true);
        if (file.Length < cursor.Offset)
        {
            (cursor.Offset, cursor.Line) = (0, 0);
        }

        var jobs = new List<LocalReceivedJob>();
        var name = Path.GetFileName(jobsPath);
        var line = new MemoryStream();
        var block = new byte[64 * 1024];
        var position = cursor.Offset;
        int read;
        while ((read = RandomAccess.Read(file.Handle, block, position)) > 0)
        {
            for (var start = 0; start < read;)
            {
                var end = block.AsSpan(start, read - start).IndexOf((byte)'\n');
                var stop = end < 0 ? read : start + end;
                line.Write(block, start, (int)Math.Min(stop - start, Math.Max(0, RequestLimits.MaxMessageBytes + 2 - line.Length)));
                start = stop + 1;
                if (end >= 0)
                {
                    Emit(jobs, seen, line, name, ++cursor.Line, written);
                    cursor.Offset = position + start;
                }
            }

            position += read;
        }

        if (line.Length > 0 && settled)
        {
            Emit(jobs, seen, line, name, ++cursor.Line, written); // a last line without its newline, no longer being written
            cursor.Offset = position;
        }

        return jobs;
    }

    private static void Emit(List<LocalReceivedJob> jobs, ISet<string> seen, MemoryStream line, string name, int number, DateTimeOffset written)
    {
        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        line.SetLength(0);
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"{name}:{number}");
        if (!IsBlank(bytes) && seen.Add(id))
        {
            jobs.Add(new LocalReceivedJob(id, bytes[..Math.Min(bytes.Length, RequestLimits.MaxMessageBytes + 1)].ToArray(), written, 1));
        }
    }

    private static List<LocalReceivedJob> ReadFolder(string folder, ISet<string> seen, TimeSpan settle, DateTimeOffset now, bool complete, Action<string, string> skipped)
    {
        var jobs = new List<LocalReceivedJob>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileName(file);
            if (seen.Contains(id))
            {
                continue;
            }

            byte[] body;
            DateTimeOffset written;
            try
            {
                using var opened = RegularFile.Open(file, id, followLinks: true);
                written = new DateTimeOffset(opened.ModifiedUtc, TimeSpan.Zero);
                body = Read(opened, RequestLimits.MaxMessageBytes + 1);
            }
            catch (IpIqaException ex) when (ex.Code == ErrorCodes.ImageNotFound)
            {
                continue; // renamed or removed since it was listed
            }
            catch (IpIqaException ex)
            {
                seen.Add(id);
                skipped(id, ex.Message);
                continue;
            }

            if (!complete && now - written < settle && !IsJson(body))
            {
                continue; // may still be being written: looked at again on the next poll
            }

            seen.Add(id);
            jobs.Add(new LocalReceivedJob(id, body, written, 1));
        }

        return jobs;
    }

    /// <summary>The file's bytes, at most <paramref name="limit"/>, read by its length at open.</summary>
    private static byte[] Read(RegularFile file, int limit)
    {
        var bytes = new byte[(int)Math.Min(file.Length, limit)];
        var read = file.ReadFromStart(bytes);
        return read == bytes.Length ? bytes : bytes[..read];
    }

    private static bool IsJson(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r\f\v"u8).IsEmpty;
}
