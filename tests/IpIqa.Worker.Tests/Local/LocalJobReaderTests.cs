using System.Text;
using IpIqa.TestSupport;
using IpIqa.Worker.Local;

namespace IpIqa.Worker.Tests.Local;

/// <summary>Half-written jobs are left for a later poll; bodies are the bytes as written (#11).</summary>
public sealed class LocalJobReaderTests : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _folder = new("ipiqa-reader");

    [Fact]
    public void Last_line_without_its_newline_is_read_only_once_completed()
    {
        var path = _folder.Combine("jobs.jsonl");
        File.WriteAllText(path, "{\"jobId\":\"a\"}\n{\"jobId\":\"b\"");
        var seen = new HashSet<string>(StringComparer.Ordinal);

        var first = LocalJobReader.ReadNew(path, seen, Settle, Now(path), complete: false);
        File.AppendAllText(path, "}\n");
        var second = LocalJobReader.ReadNew(path, seen, Settle, Now(path), complete: false);

        Assert.Equal(["jobs.jsonl:1"], first.Select(j => j.MessageId));
        Assert.Equal(["jobs.jsonl:2"], second.Select(j => j.MessageId));
        Assert.Equal("{\"jobId\":\"b\"}", Encoding.UTF8.GetString(second[0].Body.Span));
    }

    [Fact]
    public void Last_line_without_its_newline_is_read_once_the_file_settled_or_on_a_drain()
    {
        var path = _folder.Combine("jobs.jsonl");
        File.WriteAllText(path, "{\"jobId\":\"a\"}\r\n{\"jobId\":\"b\"}");

        var settled = LocalJobReader.ReadNew(path, new HashSet<string>(), Settle, Now(path) + Settle, complete: false);
        var drained = LocalJobReader.ReadNew(path, new HashSet<string>(), Settle, Now(path), complete: true);

        Assert.Equal(["{\"jobId\":\"a\"}", "{\"jobId\":\"b\"}"], settled.Select(j => Encoding.UTF8.GetString(j.Body.Span)));
        Assert.Equal(["jobs.jsonl:1", "jobs.jsonl:2"], drained.Select(j => j.MessageId));
    }

    [Fact]
    public void Json_file_that_does_not_parse_and_changed_recently_is_retried_not_marked_seen()
    {
        var path = _folder.Combine("job-1.json");
        File.WriteAllText(path, "{\"jobId\":\"a\",\"ima");
        var seen = new HashSet<string>(StringComparer.Ordinal);

        var whileWritten = LocalJobReader.ReadNew(_folder.Path, seen, Settle, Now(path), complete: false);
        File.WriteAllText(path, "{\"jobId\":\"a\"}");
        var completed = LocalJobReader.ReadNew(_folder.Path, seen, Settle, Now(path), complete: false);

        Assert.Empty(whileWritten);
        Assert.Equal("{\"jobId\":\"a\"}", Encoding.UTF8.GetString(Assert.Single(completed).Body.Span));
        Assert.Empty(LocalJobReader.ReadNew(_folder.Path, seen, Settle, Now(path), complete: false));
    }

    [Fact]
    public void Json_file_that_does_not_parse_and_settled_is_read_as_it_is()
    {
        var path = _folder.Combine("job-1.json");
        File.WriteAllText(path, "{ broken");

        var job = Assert.Single(LocalJobReader.ReadNew(_folder.Path, new HashSet<string>(), Settle, Now(path) + Settle, complete: false));

        Assert.Equal("job-1.json", job.MessageId);
    }

    [Fact]
    public void Invalid_utf8_is_kept_as_written_not_replaced()
    {
        var path = _folder.Combine("jobs.jsonl");
        byte[] line = [.. "{\"prompt\":\"a "u8, 0xFF, 0xFE, .. " fox\"}"u8];
        File.WriteAllBytes(path, [.. line, (byte)'\n']);

        var job = Assert.Single(LocalJobReader.ReadNew(path, new HashSet<string>(), Settle, Now(path), complete: false));

        Assert.Equal(line, job.Body.ToArray());
    }

    [Fact]
    public async Task A_fifo_or_a_link_to_a_device_in_the_jobs_folder_is_skipped_not_read()
    {
        // Anyone who can write to the jobs folder can drop these: a FIFO with no writer blocks an
        // ordinary read for ever, and /dev/zero never ends.
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", _folder.Combine("a-fifo.json")))
        {
            await mkfifo.WaitForExitAsync();
        }

        File.CreateSymbolicLink(_folder.Combine("b-zero.json"), "/dev/zero");
        File.WriteAllText(_folder.Combine("c-real.json"), "{\"jobId\":\"c\"}");
        var skipped = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        var read = await Task.Run(() => LocalJobReader.ReadNew(_folder.Path, seen, Settle, DateTimeOffset.UtcNow, complete: true, (id, why) => skipped.Add($"{id}: {why}")))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("c-real.json", Assert.Single(read).MessageId);
        Assert.Equal(2, skipped.Count);
        Assert.Contains(skipped, s => s.StartsWith("a-fifo.json: ", StringComparison.Ordinal) && s.Contains("FIFO", StringComparison.Ordinal));
        Assert.Contains(skipped, s => s.StartsWith("b-zero.json: ", StringComparison.Ordinal) && s.Contains("character device", StringComparison.Ordinal));
        Assert.Empty(LocalJobReader.ReadNew(_folder.Path, seen, Settle, DateTimeOffset.UtcNow, complete: true, (id, _) => skipped.Add(id)));
    }

    [Fact]
    public void A_job_file_over_the_message_limit_is_read_only_far_enough_to_be_refused()
    {
        var path = _folder.Combine("huge.json");
        using (var file = File.Create(path))
        {
            file.SetLength(64L * 1024 * 1024);
        }

        var job = Assert.Single(LocalJobReader.ReadNew(_folder.Path, new HashSet<string>(), Settle, Now(path), complete: true));

        Assert.Equal(Core.Contracts.RequestLimits.MaxMessageBytes + 1, job.Body.Length);
    }

    public void Dispose() => _folder.Dispose();

    private static DateTimeOffset Now(string path) => new(File.GetLastWriteTimeUtc(path));
}
