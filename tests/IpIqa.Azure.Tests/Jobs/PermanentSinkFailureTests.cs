using Azure;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace IpIqa.Azure.Tests.Jobs;

/// <summary>How the job processor settles a job whose result a sink refuses: for good (dead-letter) or for now (abandon).</summary>
public sealed class PermanentSinkFailureTests : IDisposable
{
    private const string Body = """{"jobId":"j1","image":{"path":"a.png"},"prompt":"a cat"}""";
    private readonly JobMetrics _metrics = new();

    public static TheoryData<int, string?> Statuses => new()
    {
        { 400, "PropertyValueTooLarge" },
        { 400, "EntityTooLarge" },
        { 413, "RequestBodyTooLarge" },
        { 414, null },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task Result_refused_for_good_is_dead_lettered_as_internal_error_with_an_error_result(int status, string? errorCode)
    {
        var table = new RefusingSink(scored: new RequestFailedException(status, "refused", errorCode, null));
        var reply = new RecordingSink("reply", 100);

        var (outcome, job) = await HandleAsync(table, reply);

        Assert.Equal(JobOutcome.DeadLettered, outcome);
        var settlement = Assert.Single(job.Settlements);
        Assert.StartsWith($"deadletter:{ErrorCodes.InternalError}:", settlement, StringComparison.Ordinal);
        Assert.Contains($"({status} {errorCode})", settlement, StringComparison.Ordinal);
        var written = Assert.Single(table.Written);
        Assert.Equal(ErrorCodes.InternalError, written.Result.Error!.Code);
        Assert.Equal(ErrorCodes.InternalError, Assert.Single(reply.Records).Result.Error!.Code);
    }

    [Fact]
    public async Task Error_result_refused_too_is_still_dead_lettered_and_says_so()
    {
        var refused = new RequestFailedException(400, "refused", "PropertyValueTooLarge", null);
        var table = new RefusingSink(scored: refused, error: refused);

        var (outcome, job) = await HandleAsync(table, new RecordingSink("reply", 100));

        Assert.Equal(JobOutcome.DeadLettered, outcome);
        var settlement = Assert.Single(job.Settlements);
        Assert.StartsWith($"deadletter:{ErrorCodes.InternalError}:", settlement, StringComparison.Ordinal);
        Assert.Contains("The error result was not stored either", settlement, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Result_refused_for_now_is_abandoned(int status)
    {
        var table = new RefusingSink(scored: new RequestFailedException(status, "busy", null, null));

        var (outcome, job) = await HandleAsync(table, new RecordingSink("reply", 100));

        Assert.Equal(JobOutcome.Abandoned, outcome);
        Assert.StartsWith("abandon:", Assert.Single(job.Settlements), StringComparison.Ordinal);
        Assert.Empty(table.Written);
    }

    public void Dispose() => _metrics.Dispose();

    private async Task<(JobOutcome Outcome, FakeReceivedJob Job)> HandleAsync(IResultSink table, IResultSink reply)
    {
        var images = new FakeImageSource();
        images.Images["a.png"] = [1, 2, 3];
        var processor = Processors.Create(new FakeScorer(), [images], [table, reply], _metrics, logger: NullLogger<JobProcessor>.Instance);
        var job = new FakeReceivedJob(Body);
        return (await processor.HandleAsync(job, CancellationToken.None), job);
    }

    /// <summary>A table-like sink: Azure's classification of its failure decides what the processor sees.</summary>
    private sealed class RefusingSink(RequestFailedException scored, RequestFailedException? error = null) : IResultSink
    {
        public string Name => "table";

        public int Order => 20;

        public List<ResultRecord> Written { get; } = [];

        public Task WriteAsync(ResultRecord record, CancellationToken cancellationToken)
        {
            var failure = record.Result.IsError ? error : scored;
            if (failure is null)
            {
                Written.Add(record);
                return Task.CompletedTask;
            }

            throw PermanentFailures.IsPermanent(failure) ? PermanentFailures.Refused("The table row", failure) : failure;
        }
    }
}
