using IpIqa.TestSupport;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>A folder source walks the whole tree, in the ordinal order of the relative keys, and resumes inside it (#19).</summary>
public sealed class FolderTreeSourceTests : IDisposable
{
    private const int Folders = 20;
    private const int PerFolder = 10;
    private readonly TempDirectory _root = new("folder-tree");
    private readonly TempDirectory _runs = new("folder-tree-runs");

    public void Dispose()
    {
        _root.Dispose();
        _runs.Dispose();
    }

    /// <summary>Writes f00/00000.png .. f19/00199.png (the index at key characters 4..8, as <see cref="FakeProcessor"/> reads it), each with a prompt.</summary>
    private List<string> WriteTree()
    {
        var keys = new List<string>();
        for (var f = 0; f < Folders; f++)
        {
            var folder = Directory.CreateDirectory(_root.Combine($"f{f:D2}")).FullName;
            for (var i = 0; i < PerFolder; i++)
            {
                var name = $"{(f * PerFolder) + i:D5}";
                File.WriteAllBytes(Path.Combine(folder, name + ".png"), [1, 2, 3]);
                File.WriteAllText(Path.Combine(folder, name + ".txt"), $"prompt {name}");
                keys.Add($"f{f:D2}/{name}.png");
            }
        }

        return keys;
    }

    private static async Task<List<string>> KeysAsync(LocalFolderSource source, string? token, int pageSize) =>
        (await source.ListAsync(token, pageSize, CancellationToken.None).ToListAsync()).SelectMany(p => p.Items).Select(i => i.Key).ToList();

    [Fact]
    public async Task ATreeOfTwentyFoldersOfTenImages_IsListedWhole_InOrdinalKeyOrder_WithPrompts()
    {
        var written = WriteTree();
        var source = new LocalFolderSource(_root.Path);

        var pages = await source.ListAsync(null, 7, CancellationToken.None).ToListAsync();
        var items = pages.SelectMany(p => p.Items).ToList();

        Assert.Equal(written.Order(StringComparer.Ordinal), items.Select(i => i.Key));
        Assert.Equal(Folders * PerFolder, items.Count);
        Assert.Equal("prompt 00123", items.Single(i => i.Key == "f12/00123.png").Prompt);
        Assert.Equal(_root.Combine("f12", "00123.png"), items.Single(i => i.Key == "f12/00123.png").LocalPath);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(p.Items[^1].Key, p.ContinuationToken));
        Assert.Null(pages[^1].ContinuationToken);
        Assert.Equal([1, 2, 3], await source.ReadAsync(items[^1], 10, CancellationToken.None));
    }

    [Fact]
    public async Task EveryContinuationToken_ListsExactlyTheKeysAfterIt()
    {
        var written = WriteTree().Order(StringComparer.Ordinal).ToList();
        var source = new LocalFolderSource(_root.Path);

        foreach (var page in await source.ListAsync(null, 13, CancellationToken.None).ToListAsync())
        {
            if (page.ContinuationToken is { } token)
            {
                Assert.Equal(written.Where(k => string.CompareOrdinal(k, token) > 0), await KeysAsync(source, token, 13));
            }
        }
    }

    [Fact]
    public async Task NamesAroundTheSeparator_AndDeepFolders_SortAsWholeKeys()
    {
        string[] keys = ["a.png", "a-b.png", "a0.png", "a/b.png", "a/c/d.png", "a/c.png", "a/c-d.png", "b/x/y/z.png", "B.png", "é.png"];
        foreach (var key in keys)
        {
            var path = Path.Combine(_root.Path, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, [1]);
        }

        File.WriteAllText(_root.Combine("a", "notes.md"), "not an image");
        Directory.CreateDirectory(_root.Combine("empty", "deeper"));
        var source = new LocalFolderSource(_root.Path);

        var expected = keys.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await KeysAsync(source, null, 3));
        foreach (var token in expected.Append("a/").Append("a/c/").Append("a/bz"))
        {
            Assert.Equal(expected.Where(k => string.CompareOrdinal(k, token) > 0), await KeysAsync(source, token, 2));
        }
    }

    [Fact]
    public async Task ALinkToAFolder_IsNotFollowed_SoTheWalkStaysInTheTreeAndEnds()
    {
        Directory.CreateDirectory(_root.Combine("outside"));
        File.WriteAllBytes(_root.Combine("outside", "secret.png"), [1]);
        var gallery = Directory.CreateDirectory(_root.Combine("gallery", "sub")).Parent!.FullName;
        File.WriteAllBytes(Path.Combine(gallery, "sub", "in.png"), [1]);
        Directory.CreateSymbolicLink(Path.Combine(gallery, "out"), _root.Combine("outside"));
        Directory.CreateSymbolicLink(Path.Combine(gallery, "sub", "loop"), gallery);

        Assert.Equal(["sub/in.png"], await KeysAsync(new LocalFolderSource(gallery), null, 10));
    }

    [Fact]
    public async Task ARunOverATree_CancelledPartWay_ResumesInsideTheTree_WithEveryImageJournalledOnce()
    {
        var written = WriteTree();
        var source = new LocalFolderSource(_root.Path);
        var run = RunFolder.Create(_runs.Path, source.Description, "score", "model-a", TimeProvider.System);
        var options = new RescoreRunOptions { PageSize = 16 };
        using var cancel = new CancellationTokenSource();
        var first = new FakeProcessor(maxInFlight: 4) { CancelAfterSource = cancel, CancelAfter = 90 };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new RescoreRunner(source, first, options).RunAsync(run, null, null, cancel.Token));
        var resumed = RunFolder.FindResumable(_runs.Path, source.Description, "score", "model-a");
        Assert.NotNull(resumed);
        Assert.Contains('/', resumed.State.ContinuationToken!);
        var done = RunJournal.Read(resumed.JournalPath).Keys.ToHashSet();
        Assert.InRange(done.Count, 1, written.Count - 1);

        var second = new FakeProcessor();
        await new RescoreRunner(source, second, options).RunAsync(resumed, null, null, CancellationToken.None);

        Assert.Equal(written.Count, File.ReadAllLines(resumed.JournalPath).Length);
        Assert.Equal(written.Order(StringComparer.Ordinal), RunJournal.Read(resumed.JournalPath).Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(second.Calls, done.Contains);
        Assert.Equal(written.Count - done.Count, second.Calls.Count);
    }
}
