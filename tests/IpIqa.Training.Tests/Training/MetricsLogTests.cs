using IpIqa.TestSupport;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

public sealed class MetricsLogTests
{
    [Fact]
    public void Resume_DropsRowsPastTheCheckpointStep()
    {
        using var temp = new TempDirectory();
        var log = new MetricsLog(temp.Path, null);
        log.Add(10, 0, "train", 2.0, 1e-3);
        log.Add(10, 0, "val", 2.5, 1e-3);
        log.Add(20, 1, "train", 1.0, 1e-3);

        _ = new MetricsLog(temp.Path, 10);

        Assert.Equal([(10, 0, "train", 2.0), (10, 0, "val", 2.5)], MetricsLog.ReadLosses(temp.Path));
    }

    [Fact]
    public void NewRun_StartsTheFileWithItsHeader()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, MetricsLog.FileName), "old\n");

        var log = new MetricsLog(temp.Path, null);
        log.Add(1, 0, "train", 0.5, 0.1);

        var lines = File.ReadAllLines(log.FilePath);
        Assert.Equal(MetricsLog.Header, lines[0]);
        Assert.Equal("1,0,train,0.5,,,,,,,0.1", lines[1]);
    }
}
