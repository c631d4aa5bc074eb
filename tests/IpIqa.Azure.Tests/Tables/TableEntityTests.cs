using IpIqa.Azure.Tables;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace IpIqa.Azure.Tests.Tables;

public sealed class TableEntityTests
{
    private static readonly ScoringRequest Request = new("job-1", new ImageReference(Uri: "https://a.blob.core.windows.net/g/1.png"), "a red fox");
    private static readonly ModelInfo Model = new("m", "1.0.0", "sha256:abc");

    [Fact]
    public void A_calibrated_result_has_percentile_columns_beside_the_scores()
    {
        var result = ScoringResult.Scored(Request, new Scores(0.4, 0.7), new Verdict(Verdict.Pass, []), Model, DateTimeOffset.UnixEpoch, new ResultTimings(1, 2, 3, 6), new ScorePercentiles(12.5, 80));

        var entity = TableResultSink.ToEntity(new ResultRecord(result, "ab01", new NoJob()));

        Assert.Equal(0.4, entity.GetDouble("Quality"));
        Assert.Equal(12.5, entity.GetDouble("QualityPercentile"));
        Assert.Equal(80, entity.GetDouble("AlignmentPercentile"));
        Assert.Contains("\"percentiles\":{\"quality\":12.5,\"alignment\":80}", entity.GetString("Result"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_uncalibrated_result_has_no_percentile_columns()
    {
        var result = ScoringResult.Scored(Request, new Scores(0.4, 0.7), new Verdict(Verdict.Pass, []), Model, DateTimeOffset.UnixEpoch, new ResultTimings(1, 2, 3, 6));

        var entity = TableResultSink.ToEntity(new ResultRecord(result, "ab01", new NoJob()));

        Assert.False(entity.ContainsKey("QualityPercentile"));
        Assert.DoesNotContain("percentiles", entity.GetString("Result"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_longest_prompt_stays_out_of_the_result_property_so_the_row_fits()
    {
        // 16,384 UTF-8 bytes of CJK: the JSON serializer escapes each character as \uXXXX, 6 characters each.
        var prompt = new string('狐', RequestLimits.DefaultMaxPromptBytes / 3);
        var result = ScoringResult.Scored(Request with { Prompt = prompt }, new Scores(0.4, 0.7), new Verdict(Verdict.Pass, []), Model, DateTimeOffset.UnixEpoch, new ResultTimings(1, 2, 3, 6));
        Assert.Equal(prompt, result.Prompt);

        var entity = TableResultSink.ToEntity(new ResultRecord(result, "ab01", new NoJob()));

        Assert.DoesNotContain("prompt", entity.GetString("Result"), StringComparison.Ordinal);
        Assert.All(entity.Select(p => p.Value).OfType<string>(), v => Assert.True(v.Length <= 32 * 1024, $"a property of {v.Length} characters"));
    }

    private sealed class NoJob : IReceivedJob
    {
        public string MessageId => "m";
        public int DeliveryCount => 1;
        public DateTimeOffset EnqueuedAt => DateTimeOffset.UnixEpoch;
        public ReadOnlyMemory<byte> Body => ReadOnlyMemory<byte>.Empty;
        public string? ReplyTo => null;
        public Task CompleteAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task AbandonAsync(string reason, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task DeadLetterAsync(string code, string description, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
