using IpIqa.Core.Errors;
using IpIqa.Inference;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using IpIqa.Cli.Rescoring;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary><c>--keep-runs K</c> removes the runs beyond the K newest, never one a later night still needs (#19).</summary>
public sealed class RunRetentionTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>, IDisposable
{
    private static readonly DateTimeOffset Night = new(2026, 11, 1, 1, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _root = new("run-retention");

    public void Dispose() => _root.Dispose();

    private string Runs => _root.Combine("runs");

    /// <summary>A run of <paramref name="source"/> started on night <paramref name="night"/>, finished unless told otherwise.</summary>
    private RunFolder Run(int night, string source = "folder:/a", bool finished = true)
    {
        var started = Night.AddDays(night);
        var run = RunFolder.Create(Runs, source, "score", "model-a", new FixedClock(started));
        if (finished)
        {
            run.Save(run.State with { Completed = started.AddHours(1) });
        }

        return run;
    }

    private string[] Left() => RunFolder.List(Runs).Select(r => r.RunId).ToArray();

    [Fact]
    public async Task KeepingThree_OfTenNightsOfOneSource_RemovesTheSevenOldest()
    {
        var runs = Enumerable.Range(0, 10).Select(n => Run(n)).ToArray();
        using var output = new StringWriter();

        var removed = await RunRetention.PruneAsync(Runs, 3, runs[9].RunId, runs[8].RunId, null, output, CancellationToken.None);

        Assert.Equal(7, removed);
        Assert.Equal(runs[7..].Select(r => r.RunId), Left());
        Assert.All(runs[..7], r => Assert.False(Directory.Exists(r.Path)));
    }

    [Fact]
    public void TheRunsALaterNightNeeds_AreKeptBeyondK()
    {
        var unfinishedOtherSource = Run(0, "folder:/c", finished: false);
        var firstOfB = Run(1, "folder:/b");
        var a = Enumerable.Range(2, 6).Select(n => Run(n)).ToArray();
        var olderOfB = Run(8, "folder:/b");
        var newestOfB = Run(9, "folder:/b");
        var resumableOfA = Run(10, "folder:/a", finished: false);

        // The run just finished is a[5]; it compared with a[1] (say a --resume of an old run).
        var expired = RunRetention.Expired(RunFolder.List(Runs), 2, a[5].RunId, a[1].RunId);

        Assert.Equal(new[] { firstOfB, a[0], a[2], a[3], a[4], olderOfB }.Select(r => r.RunId), expired.Select(r => r.RunId));
        Assert.DoesNotContain(expired, r => r.RunId == unfinishedOtherSource.RunId || r.RunId == resumableOfA.RunId || r.RunId == newestOfB.RunId);
    }

    [Fact]
    public async Task KeepingZero_KeepsEveryRun_AndAFolderThatIsNotARun_IsNeverTouched()
    {
        var runs = Enumerable.Range(0, 4).Select(n => Run(n)).ToArray();
        var stranger = Directory.CreateDirectory(Path.Combine(Runs, "notes")).FullName;
        File.WriteAllText(Path.Combine(stranger, "readme.txt"), "kept");
        using var output = new StringWriter();

        Assert.Equal(0, await RunRetention.PruneAsync(Runs, 0, runs[3].RunId, runs[2].RunId, null, output, CancellationToken.None));
        Assert.Equal(4, Left().Length);
        Assert.Equal(2, await RunRetention.PruneAsync(Runs, 1, runs[3].RunId, runs[2].RunId, null, output, CancellationToken.None));
        Assert.Equal(runs[2..].Select(r => r.RunId), Left());
        Assert.True(File.Exists(Path.Combine(stranger, "readme.txt")));
    }

    [Fact]
    public async Task ANegativeKeepRuns_IsAUsageErrorNamingTheOption()
    {
        var error = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            using var output = new StringWriter();
            var settings = new RescoreSettings { Model = _root.Combine("no-model"), RunsRoot = Runs, Folder = _root.Path, KeepRuns = -1 };

            Assert.Equal(ExitCodes.Usage, await RescoreCommandRunner.RunAsync(settings, output, CancellationToken.None));
        }
        finally
        {
            Console.SetError(error);
        }

        Assert.Contains("--keep-runs -1", captured.ToString(), StringComparison.Ordinal);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task NightsWithKeepRunsOne_KeepTheChainOfDeltas_UntilAFullRunStartsANewChain()
    {
        var gallery = Directory.CreateDirectory(_root.Combine("gallery")).FullName;
        var sample = ReferenceBundle.Samples()[0];
        File.Copy(sample.Image, Path.Combine(gallery, "a" + Path.GetExtension(sample.Image)));
        File.WriteAllText(Path.Combine(gallery, "a.txt"), sample.Prompt);
        var settings = new RescoreSettings
        {
            Model = reference.Folder, RunsRoot = Runs, Folder = gallery, KeepRuns = 1, BatchSize = 1, Threads = 1, Provider = ExecutionProvider.Cpu,
        };
        // Nights 0-2: a full run, then two deltas (#19), which need every run down the chain; night 3 is
        // forced, so a full run; night 4 is a delta of it, and the old chain can go.
        var ids = new List<string>();
        for (var night = 0; night < 5; night++)
        {
            using var output = new StringWriter();
            Assert.Equal(ExitCodes.Ok, await RescoreCommandRunner.RunAsync(settings with { Force = night == 3 }, output, CancellationToken.None));
            ids.Add(RunFolder.List(Runs).Select(r => r.RunId).Except(ids).Single());
            Assert.Equal(night == 4, output.ToString().Contains("removed 3 old run(s) beyond --keep-runs 1", StringComparison.Ordinal));
            Assert.DoesNotContain("removed 1 old", output.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(ids[3..], Left());
        Assert.Null(RunFolder.Open(Runs, ids[3]).State.BaseRunId);
        Assert.Equal(ids[3], RunFolder.Open(Runs, ids[4]).State.BaseRunId);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
