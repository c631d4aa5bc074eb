using Azure;
using Azure.Data.Tables;
using IpIqa.Azure.Tables;
using IpIqa.Azure.Tests.Loopback;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;
using Microsoft.Extensions.Options;

namespace IpIqa.Azure.Tests.Tables;

/// <summary>A row the table service refuses for good is a permanent <c>internal_error</c>, not a transient failure retried forever.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableSinkLimitTests(AzuriteFixture fixture)
{
    [RequiresNodeFact]
    public async Task Result_json_over_the_table_property_limit_is_a_permanent_internal_error()
    {
        var sink = new TableResultSink(
            new TableServiceClient(fixture.ConnectionString),
            Options.Create(new TableSinkOptions { Enabled = true, ConnectionString = fixture.ConnectionString, TableName = $"limits{Guid.NewGuid():N}"[..20] }));
        var request = new ScoringRequest("big", new ImageReference(Uri: "https://gallery.blob.core.windows.net/images/a.png"), "a cat", Attributes: new Dictionary<string, string> { ["notes"] = new string('n', 40_000) });
        var result = ScoringResult.Scored(request, new Scores(0.5, 0.5), new Verdict(Verdict.Pass, []), new ModelInfo("m", "1", "0123456789ab"), DateTimeOffset.UnixEpoch, new ResultTimings(1, 1, 1, 1));
        var record = new ResultRecord(result, new string('a', 64), new FakeReceivedJob("{}"));

        var ex = await Assert.ThrowsAsync<IpIqaException>(() => sink.WriteAsync(record, CancellationToken.None));

        Assert.Equal(ErrorCodes.InternalError, ex.Code);
        Assert.Contains("PropertyValueTooLarge", ex.Message, StringComparison.Ordinal);
        Assert.Equal(400, Assert.IsType<RequestFailedException>(ex.InnerException).Status);
    }
}
