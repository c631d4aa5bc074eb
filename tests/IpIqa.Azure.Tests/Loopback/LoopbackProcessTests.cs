using System.Net.Sockets;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Azure.Tests.Loopback;

/// <summary>Starting and stopping the Node.js stand-ins, and their errors.</summary>
public sealed class LoopbackProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Out_of_range_double_options_are_rejected_naming_the_setting()
    {
        var lockError = Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceBusDoubleOptions { LockDuration = TimeSpan.Zero }.Validate());
        var countError = Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceBusDoubleOptions { MaxDeliveryCount = 0 }.Validate());

        Assert.Equal(nameof(ServiceBusDoubleOptions.LockDuration), lockError.ParamName);
        Assert.Equal(nameof(ServiceBusDoubleOptions.MaxDeliveryCount), countError.ParamName);
    }

    [Fact]
    public void Double_options_become_command_line_arguments_with_units()
    {
        var arguments = new ServiceBusDoubleOptions { LockDuration = TimeSpan.FromSeconds(2.5), MaxDeliveryCount = 4 }.ToArguments();

        Assert.Equal(["--lock-duration", "2500ms", "--max-delivery-count", "4"], arguments);
    }

    [RequiresNodeFact]
    public async Task A_process_that_exits_before_listening_reports_its_exit_code_and_output()
    {
        using var folder = new TempDirectory();
        await File.WriteAllTextAsync(folder.Combine("fail.js"), "console.error('cannot bind: port taken'); process.exit(3);");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LoopbackProcess.StartAsync(folder.Path, "fail.js", [], StartTimeout, CancellationToken.None));

        Assert.Contains("exited with code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot bind: port taken", error.Message, StringComparison.Ordinal);
    }

    [RequiresNodeFact]
    public async Task A_process_that_never_listens_times_out_and_is_killed()
    {
        using var folder = new TempDirectory();
        await File.WriteAllTextAsync(folder.Combine("silent.js"), "console.error('still starting'); setInterval(() => {}, 1000);");

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => LoopbackProcess.StartAsync(folder.Path, "silent.js", [], TimeSpan.FromSeconds(2), CancellationToken.None));

        Assert.Contains("did not report listening", error.Message, StringComparison.Ordinal);
        Assert.Contains("still starting", error.Message, StringComparison.Ordinal);
    }

    [RequiresNodeFact]
    public async Task The_double_refuses_a_bad_option_with_a_message_naming_it()
    {
        var folder = NpmPackageFolder.UnderTests("servicebus-double");
        await NpmPackageFolder.EnsureInstalledAsync(folder, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LoopbackProcess.StartAsync(folder, "server.js", ["--lock-duration", "5 minutes"], StartTimeout, CancellationToken.None));

        Assert.Contains("--lock-duration: '5 minutes' is not a duration", error.Message, StringComparison.Ordinal);
    }

    [RequiresNodeFact]
    public async Task Disposing_the_double_stops_it_listening()
    {
        var serviceBus = await ServiceBusDouble.StartAsync(new ServiceBusDoubleOptions(), CancellationToken.None);
        var port = serviceBus.Port;
        using (var open = new TcpClient())
        {
            await open.ConnectAsync("127.0.0.1", port);
            Assert.True(open.Connected);
        }

        await serviceBus.DisposeAsync();

        using var closed = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => closed.ConnectAsync("127.0.0.1", port));
    }

    [Fact]
    public async Task A_folder_without_a_package_lock_is_reported_by_path()
    {
        using var folder = new TempDirectory();

        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => NpmPackageFolder.EnsureInstalledAsync(folder.Path, CancellationToken.None));

        Assert.Contains(folder.Path, error.Message, StringComparison.Ordinal);
    }
}
