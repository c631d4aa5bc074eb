using System.Text.Json;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.TestSupport;
using IpIqa.Worker.Local;

namespace IpIqa.Worker.Tests.Local;

public sealed class JsonlResultSinkTests : IDisposable
{
    private readonly TempDirectory _folder = new("ipiqa-jsonl");

    [Fact]
    public async Task Each_key_is_written_once_even_across_sink_instances()
    {
        var path = _folder.Combine("out", "results.jsonl");
        using (var sink = new JsonlResultSink(path, "results"))
        {
            await sink.WriteAsync(Record("k1", "j1"), CancellationToken.None);
            await sink.WriteAsync(Record("k1", "j1"), CancellationToken.None);
            await sink.WriteAsync(Record("k2", "j2"), CancellationToken.None);
        }

        using (var reopened = new JsonlResultSink(path, "results"))
        {
            await reopened.WriteAsync(Record("k2", "j2"), CancellationToken.None);
            await reopened.WriteAsync(Record("k3", "j3"), CancellationToken.None);
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(["k1", "k2", "k3"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("resultKey").GetString()));
        Assert.Equal("j1", ScoringJson.DeserializeResult(File.ReadAllBytes(path).AsSpan(0, lines[0].Length)).JobId);
    }

    [Fact]
    public async Task Line_torn_by_a_crash_is_dropped_and_the_job_written_again()
    {
        var path = _folder.Combine("results.jsonl");
        using (var sink = new JsonlResultSink(path, "results"))
        {
            await sink.WriteAsync(Record("k1", "j1"), CancellationToken.None);
        }

        File.AppendAllText(path, """{"jobId":"j2","resul""");
        using (var sink = new JsonlResultSink(path, "results"))
        {
            await sink.WriteAsync(Record("k2", "j2"), CancellationToken.None);
        }

        Assert.Equal(["j1", "j2"], File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("jobId").GetString()));
    }

    [Fact]
    public async Task Foreign_line_in_the_file_is_reported_with_its_number()
    {
        var path = _folder.Combine("results.jsonl");
        File.WriteAllText(path, "{\"resultKey\":\"k1\"}\nhello\n");
        using var sink = new JsonlResultSink(path, "results");

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => sink.WriteAsync(Record("k2", "j2"), CancellationToken.None));

        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    private static ResultRecord Record(string key, string jobId)
    {
        var request = new ScoringRequest(jobId, new ImageReference(Path: "a.png"), "a cat");
        var result = ScoringResult.Scored(request, new Scores(0.5, 0.25), new Verdict(Verdict.Pass, []), new ModelInfo("m", "1", "h"), DateTimeOffset.UnixEpoch, new ResultTimings(1, 2, 3, 6));
        return new ResultRecord(result, key, new FakeReceivedJob("{}"));
    }
}
