using IpIqa.Core.Contracts;
using IpIqa.TestSupport;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

public sealed class LocalFolderSourceTests : IDisposable
{
    private readonly TempDirectory _root = new("folder-source");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Pages_FollowNameOrder_AndAContinuationTokenListsOnFromTheNextName()
    {
        foreach (var name in new[] { "c.png", "a.jpg", "b.webp", "d.png", "notes.md" })
        {
            File.WriteAllBytes(_root.Combine(name), [1, 2, 3]);
        }

        File.WriteAllText(_root.Combine("a.txt"), "  a cat \n");
        File.WriteAllText(_root.Combine("c.txt"), "a car");
        var source = new LocalFolderSource(_root.Path);

        var pages = await source.ListAsync(null, 2, CancellationToken.None).ToListAsync();
        Assert.Equal([["a.jpg", "b.webp"], ["c.png", "d.png"]], pages.Select(p => p.Items.Select(i => i.Key).ToArray()));
        Assert.Equal("b.webp", pages[0].ContinuationToken);
        Assert.Null(pages[1].ContinuationToken);
        Assert.Equal("a cat", pages[0].Items[0].Prompt);
        Assert.Null(pages[0].Items[1].Prompt);
        Assert.Equal(_root.Combine("a.jpg"), pages[0].Items[0].LocalPath);

        var resumed = await source.ListAsync(pages[0].ContinuationToken, 2, CancellationToken.None).ToListAsync();
        Assert.Equal(["c.png", "d.png"], resumed.SelectMany(p => p.Items).Select(i => i.Key));
    }

    [Fact]
    public async Task Sidecars_AreReadAsTextFilesAre_WithAByteOrderMark_AndADanglingLinkIsNoPrompt()
    {
        foreach (var name in new[] { "a.png", "b.png", "c.png", "d.png" })
        {
            File.WriteAllBytes(_root.Combine(name), [1, 2, 3]);
        }

        File.WriteAllText(_root.Combine("a.txt"), " a caf\u00e9 ", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        File.WriteAllText(_root.Combine("b.txt"), "a b\u00e4r", System.Text.Encoding.Unicode);
        File.CreateSymbolicLink(_root.Combine("c.txt"), _root.Combine("nowhere.txt"));
        File.WriteAllBytes(_root.Combine("d.txt"), [0x61, 0xFF, 0x62]); // not UTF-8: replaced, as File.ReadAllText does

        var items = (await new LocalFolderSource(_root.Path).ListAsync(null, 10, CancellationToken.None).ToListAsync()).SelectMany(p => p.Items).ToList();

        Assert.Equal(["a caf\u00e9", "a b\u00e4r", null, File.ReadAllText(_root.Combine("d.txt"))], items.Select(i => i.Prompt));
        Assert.Equal(items.Select(i => $"3-{File.GetLastWriteTimeUtc(i.LocalPath!).Ticks}"), items.Select(i => i.Version));
    }

    [Fact]
    public void AMissingFolder_IsNamed()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => new LocalFolderSource(_root.Combine("nope")));
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueueing_TagsEachRequestWithTheRunId_AndDerivesAStableJobId()
    {
        var queue = new RecordingQueue();
        var processor = new EnqueueProcessor(queue, "run-1", "hash", new Thresholds(0.3, null), 4);
        var item = new RescoreItem("g/1.png", "https://acct.blob.core.windows.net/c/g/1.png", 10, "etag", "a cat");

        var record = await processor.ProcessAsync(item, CancellationToken.None);

        var request = Assert.Single(queue.Sent);
        Assert.Equal("run-1", request.CorrelationId);
        Assert.Equal("run-1", request.Attributes!["runId"]);
        Assert.Equal(item.Location, request.Image.Uri);
        Assert.Equal(0.3, request.Thresholds!.Quality);
        Assert.Equal(EnqueueProcessor.JobIdOf("run-1", "g/1.png"), request.JobId);
        Assert.NotEqual(EnqueueProcessor.JobIdOf("run-1", "g/2.png"), request.JobId);
        Assert.Equal(RescoreRecord.StatusEnqueued, record.Status);
        Assert.Equal(request.JobId, record.JobId);
    }

    [Fact]
    public async Task Enqueueing_TakesASlotOfTheStoragePacerPerSend()
    {
        // 20 per second gives a bucket of one slot. The bucket is refilled by hand, so the test counts the sends
        // each refill lets through instead of timing them: a starved thread pool cannot fail it, and sends that
        // skip the pacer all go through before the first refill.
        var queue = new RecordingQueue();
        using var pacer = new RequestPacer(20, autoReplenish: false);
        var processor = new EnqueueProcessor(queue, "run-1", "hash", null, 4, pacer);

        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 11; i++)
            {
                await processor.ProcessAsync(new RescoreItem($"g/{i}.png", $"https://acct.blob.core.windows.net/c/g/{i}.png", 10, "etag", "a cat"), CancellationToken.None);
            }
        });

        for (var sent = 1; sent <= 11; sent++)
        {
            await SentAsync(queue, sent);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            Assert.Equal(sent, queue.Sent.Count);
            pacer.Replenish();
        }

        await sending.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(11, pacer.Taken);
    }

    private static async Task SentAsync(RecordingQueue queue, int count)
    {
        for (var wait = 0; queue.Sent.Count < count; wait++)
        {
            Assert.True(wait < 3000, $"only {queue.Sent.Count} of {count} sends went through after a refill");
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }

    private sealed class RecordingQueue : IJobQueue
    {
        public List<ScoringRequest> Sent { get; } = [];

        public string Description => "memory";

        public Task<string?> EnsureReadyAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

        public Task SendAsync(ScoringRequest request, CancellationToken cancellationToken)
        {
            Sent.Add(request);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
