using System.Text;
using IpIqa.Rescoring;

namespace IpIqa.Azure.Tests.Rescoring;

/// <summary>How the journal's new bytes are cut into append blocks: offsets, block size, whole lines.</summary>
public sealed class JournalDeltaTests
{
    private static byte[] Lines(int count, int length, int first = 0) =>
        Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(first, count).Select(i => $"{i:D8}".PadRight(length - 1, 'x') + "\n")));

    private static async Task<(long Stored, List<(long Position, byte[] Block)> Blocks)> AppendAsync(byte[] journal, long stored, int maxBlockBytes = JournalDelta.MaxBlockBytes)
    {
        var blocks = new List<(long, byte[])>();
        using var stream = new MemoryStream(journal, writable: false);
        var end = await JournalDelta.AppendAsync(stream, stored, (block, position, _) =>
        {
            blocks.Add((position, block.ToArray()));
            return Task.CompletedTask;
        }, CancellationToken.None, maxBlockBytes);
        return (end, blocks);
    }

    [Fact]
    public async Task ANineMiBDelta_GoesInThreeBlocksOfWholeLines_AtMost4MiB_EachAtTheOffsetWhereThePreviousEnded()
    {
        var journal = Lines(9 * 1024 + 300, 1024); // 9.3 MiB of 1 KiB lines
        const long stored = 10 * 1024;              // the first 10 lines are stored already

        var (end, blocks) = await AppendAsync(journal, stored);

        Assert.Equal(journal.Length, end);
        Assert.Equal(3, blocks.Count);
        Assert.All(blocks, b => Assert.InRange(b.Block.Length, 1, JournalDelta.MaxBlockBytes));
        Assert.All(blocks, b => Assert.Equal((byte)'\n', b.Block[^1]));
        Assert.Equal(stored, blocks[0].Position);
        for (var i = 1; i < blocks.Count; i++)
        {
            Assert.Equal(blocks[i - 1].Position + blocks[i - 1].Block.Length, blocks[i].Position);
        }

        Assert.Equal(journal[(int)stored..], blocks.SelectMany(b => b.Block).ToArray());
    }

    [Fact]
    public async Task APartialLastLine_IsHeldBack_UntilItIsWhole()
    {
        var whole = Lines(5, 40);
        byte[] journal = [.. whole, .. "{\"key\":\"half"u8.ToArray()];

        var (end, blocks) = await AppendAsync(journal, 0, maxBlockBytes: 64);

        Assert.Equal(whole.Length, end);
        Assert.Equal(whole, blocks.SelectMany(b => b.Block).ToArray());
        Assert.All(blocks, b => Assert.Equal(40, b.Block.Length)); // 64-byte blocks hold one 40-byte line each
    }

    [Fact]
    public async Task ALineLongerThanABlock_IsSplitAcrossBlocks_AndTheNextBlockEndsAtItsEnd()
    {
        var journal = Lines(1, 150).Concat(Lines(2, 10, first: 1)).ToArray();

        var (end, blocks) = await AppendAsync(journal, 0, maxBlockBytes: 64);

        Assert.Equal(journal.Length, end);
        Assert.Equal([64, 64, 42], blocks.Select(b => b.Block.Length)); // 150 = 64 + 64 + 22, then the two short lines fit with it
        Assert.Equal([0L, 64L, 128L], blocks.Select(b => b.Position));
        Assert.Equal(journal, blocks.SelectMany(b => b.Block).ToArray());
    }

    [Fact]
    public async Task NothingNew_SendsNothing()
    {
        var journal = Lines(3, 20);

        var (end, blocks) = await AppendAsync(journal, journal.Length);

        Assert.Equal(journal.Length, end);
        Assert.Empty(blocks);
    }

    [Fact]
    public async Task ALocalJournalShorterThanTheStoredOne_IsAnError()
    {
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => AppendAsync(Lines(3, 20), 100));

        Assert.Contains("fewer than the 100 already stored", error.Message, StringComparison.Ordinal);
    }
}
