using System.Diagnostics;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Azure.Tests.Loopback;

/// <summary>
/// The double answers a drain whose credit a transfer already spent. The SDK's receiver drains before it closes and waits
/// for the sender's flow; when the request crossed a redelivery on the same link (a worker stopping past its grace period
/// abandons a job, and the queue sends it straight back), the double used to stay silent and the close timed out after a
/// minute. The race is made exact by a raw AMQP client (tests/servicebus-double/checks/drain-after-transfer.js) that
/// writes its drain as it stood before the transfer arrived.
/// </summary>
[Collection(ServiceBusDoubleCollection.Name)]
public sealed class ServiceBusDrainTests(ServiceBusDoubleFixture fixture)
{
    [RequiresNodeFact]
    public async Task A_drain_that_crossed_a_transfer_still_gets_the_senders_flow()
    {
        var start = new ProcessStartInfo(NodeTools.Node!)
        {
            WorkingDirectory = NpmPackageFolder.UnderTests("servicebus-double"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["checks/drain-after-transfer.js", fixture.ServiceBus.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ServiceBusSettlementTests.NewQueueName()])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stdout}{await stderr}\n{fixture.ServiceBus.RecentOutput}");
        Assert.Equal("answered", (await stdout).Trim());
    }
}
