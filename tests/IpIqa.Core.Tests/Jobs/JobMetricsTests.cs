using System.Diagnostics.Metrics;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;

namespace IpIqa.Core.Tests.Jobs;

public sealed class JobMetricsTests
{
    [Fact]
    public async Task Jobs_are_counted_by_outcome_and_stages_and_message_age_are_recorded()
    {
        using var h = new JobProcessorHarness();
        h.Images.Images["a.png"] = [1, 2, 3];
        var counts = new List<(string Instrument, string? Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, h.Metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => counts.Add((i.Name, Tag(tags, "outcome"))));
        listener.SetMeasurementEventCallback<double>((i, _, tags, _) => counts.Add((i.Name, Tag(tags, "stage"))));
        listener.Start();

        await h.Processor.HandleAsync(new FakeReceivedJob(JobProcessorHarness.Request("j1", "a.png")), CancellationToken.None);
        await h.Processor.HandleAsync(new FakeReceivedJob("{"), CancellationToken.None);

        Assert.Contains(("ipiqa.jobs", "completed"), counts);
        Assert.Contains(("ipiqa.jobs", "dead_lettered"), counts);
        foreach (var stage in new[] { "fetch", "decode", "model", "write" })
        {
            Assert.Contains(("ipiqa.stage.duration", stage), counts);
        }

        Assert.Single(counts, c => c.Instrument == "ipiqa.message.age");
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
