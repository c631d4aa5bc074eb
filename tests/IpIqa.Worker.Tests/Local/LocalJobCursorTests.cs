using System.Text;
using IpIqa.Core.Contracts;
using IpIqa.TestSupport;
using IpIqa.Worker.Local;

namespace IpIqa.Worker.Tests.Local;

/// <summary>A JSONL jobs file is read on from where the last poll stopped, a block at a time, whatever its size (#19).</summary>
public sealed class LocalJobCursorTests : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _folder = new("ipiqa-cursor");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_poll_reads_only_the_lines_appended_since_the_last_one()
    {
        var path = _folder.Combine("jobs.jsonl");
        File.WriteAllText(path, "{\"jobId\":\"a\"}\n\n{\"jobId\":\"b\"}\n{\"jobId\":\"c\"");
        var (seen, cursor) = (new HashSet<string>(StringComparer.Ordinal), new LocalJobCursor());

        var first = LocalJobReader.ReadNew(path, seen, Settle, DateTimeOffset.UtcNow, complete: false, cursor);
        Assert.Equal(["jobs.jsonl:1", "jobs.jsonl:3"], first.Select(j => j.MessageId));
        Assert.Equal((29L, 3), (cursor.Offset, cursor.Line)); // before the unfinished last line
        // The lines already read are not read again: bytes rewritten there (an extra newline included) change nothing.
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Write("{\"x\":\n}\n"u8);
        }

        File.AppendAllText(path, "}\n{\"jobId\":\"d\"}\n");
        var second = LocalJobReader.ReadNew(path, seen, Settle, DateTimeOffset.UtcNow, complete: false, cursor);

        Assert.Equal(["jobs.jsonl:4", "jobs.jsonl:5"], second.Select(j => j.MessageId));
        Assert.Equal(["{\"jobId\":\"c\"}", "{\"jobId\":\"d\"}"], second.Select(j => Encoding.UTF8.GetString(j.Body.Span)));
        Assert.Equal(new FileInfo(path).Length, cursor.Offset);
        Assert.Empty(LocalJobReader.ReadNew(path, seen, Settle, DateTimeOffset.UtcNow, complete: false, cursor));
    }

    [Fact]
    public void A_jobs_file_past_2_GiB_is_read_and_an_oversized_line_is_cut_for_the_parser_to_refuse()
    {
        // Sparse: a job, 2.2 GiB of NULs (one oversized line), then another job. Read whole, it fit no array.
        var path = _folder.Combine("jobs.jsonl");
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write("{\"jobId\":\"a\"}\n"u8);
            file.Seek(2_200L * 1024 * 1024, SeekOrigin.Begin);
            file.Write("\n{\"jobId\":\"b\"}\n"u8);
        }

        var jobs = LocalJobReader.ReadNew(path, new HashSet<string>(StringComparer.Ordinal), Settle, DateTimeOffset.UtcNow, complete: false);

        Assert.Equal(["jobs.jsonl:1", "jobs.jsonl:2", "jobs.jsonl:3"], jobs.Select(j => j.MessageId));
        Assert.Equal(RequestLimits.MaxMessageBytes + 1, jobs[1].Body.Length);
        Assert.Equal("{\"jobId\":\"b\"}", Encoding.UTF8.GetString(jobs[2].Body.Span));
    }
}
