using IpIqa.Inference.Preprocessing;

namespace IpIqa.Inference.Tests.Preprocessing;

public sealed class PreprocessingPoolSizeTests
{
    private static CpuQuota Container(params (string Path, string Text)[] files)
    {
        var map = files.ToDictionary(f => f.Path, f => f.Text);
        return new CpuQuota(path => map.GetValueOrDefault(path));
    }

    [Fact]
    public void CgroupV2_QuotaOverPeriod_IsCores()
    {
        var quota = Container(("/proc/self/cgroup", "0::/\n"), ("/sys/fs/cgroup/cpu.max", "150000 100000\n"));

        Assert.Equal(1.5, quota.Cores());
    }

    [Fact]
    public void CgroupV2_Max_IsNoQuota()
    {
        var quota = Container(("/proc/self/cgroup", "0::/\n"), ("/sys/fs/cgroup/cpu.max", "max 100000\n"));

        Assert.Null(quota.Cores());
    }

    [Fact]
    public void CgroupV2_TheSmallestQuotaOfTheProcessGroupAndItsParentsWins()
    {
        var quota = Container(
            ("/proc/self/cgroup", "0::/kubepods/pod1/c1\n"),
            ("/sys/fs/cgroup/kubepods/pod1/c1/cpu.max", "max 100000"),
            ("/sys/fs/cgroup/kubepods/pod1/cpu.max", "400000 100000"),
            ("/sys/fs/cgroup/kubepods/cpu.max", "1600000 100000"));

        Assert.Equal(4.0, quota.Cores());
    }

    [Fact]
    public void CgroupV1_CfsQuotaOverPeriod_IsCores_AndMinusOneIsNone()
    {
        var limited = Container(
            ("/proc/self/cgroup", "12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n"),
            ("/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "250000\n"),
            ("/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n"));
        var unlimited = Container(
            ("/proc/self/cgroup", "4:cpu,cpuacct:/\n"),
            ("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n"),
            ("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n"));

        Assert.Equal(2.5, limited.Cores());
        Assert.Null(unlimited.Cores());
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("0 100000")]
    [InlineData("100000 0")]
    [InlineData("a b")]
    public void UnreadableQuotaFiles_AreNoQuota(string text)
    {
        Assert.Null(Container(("/proc/self/cgroup", "0::/"), ("/sys/fs/cgroup/cpu.max", text)).Cores());
        Assert.Null(Container().Cores());
    }

    [Theory]
    [InlineData(0, 16, 4.0, 4)]
    [InlineData(0, 16, 2.5, 2)] // rounded down: .NET's ProcessorCount says 3
    [InlineData(0, 16, 0.5, 1)]
    [InlineData(0, 4, 12.0, 4)] // capped by the processors the process may use
    [InlineData(0, 8, null, 8)]
    [InlineData(6, 16, 2.0, 6)] // configured wins
    public void Resolve_FollowsTheQuotaUnlessConfigured(int configured, int processors, double? quota, int expected)
    {
        var size = PreprocessingPoolSize.Resolve(configured, processors, quota);

        Assert.Equal(expected, size.Size);
        Assert.False(string.IsNullOrWhiteSpace(size.Source));
    }

    [Fact]
    public void Resolve_NamesWhereTheSizeCameFrom()
    {
        Assert.Contains("Parallelism", PreprocessingPoolSize.Resolve(3, 8, 2).Source, StringComparison.Ordinal);
        Assert.Contains("quota 2.5", PreprocessingPoolSize.Resolve(0, 8, 2.5).Source, StringComparison.Ordinal);
        Assert.Contains("no CPU quota", PreprocessingPoolSize.Resolve(0, 8, null).Source, StringComparison.Ordinal);
    }

    [Fact]
    public void For_TakesTheConfiguredSize_ElseAtMostTheProcessors()
    {
        Assert.Equal(3, PreprocessingPoolSize.For(3).Size);
        Assert.InRange(PreprocessingPoolSize.For(0).Size, 1, Environment.ProcessorCount);
    }
}
