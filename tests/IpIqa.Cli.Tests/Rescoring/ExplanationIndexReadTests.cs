using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// <c>rescore --export</c> reads a run folder's <c>explanations/explained.jsonl</c>. A file there that is a FIFO blocked the
/// export for ever, and one over the index's bound (the same 1 MiB a stored index is pulled to) was read whole; both are now
/// refused with an <see cref="InvalidDataException"/> naming the file, and a missing index is still none.
/// </summary>
public sealed class ExplanationIndexReadTests : IDisposable
{
    /// <summary>Only stops a test that would otherwise hang on a FIFO; a refused read takes milliseconds.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _root = new("explanation-index");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task An_index_swapped_for_a_FIFO_is_refused_without_blocking()
    {
        SpecialFiles.CreateFifo(_root.Combine(ExplanationIndex.FileName));

        var read = Task.Run(() => ExplanationIndex.Read(_root.Path));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => read.WaitAsync(Guard));
        Assert.Contains(ExplanationIndex.FileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_over_the_bound_is_refused_before_it_is_read()
    {
        using (var file = File.Create(_root.Combine(ExplanationIndex.FileName)))
        {
            file.SetLength(ExplanationIndex.MaxBytes + 1L); // sparse: no bytes written
        }

        var error = Assert.Throws<InvalidDataException>(() => ExplanationIndex.Read(_root.Path));

        Assert.Contains($"{ExplanationIndex.MaxBytes}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_index_is_none_and_a_good_one_is_read()
    {
        Assert.Null(ExplanationIndex.Read(_root.Path));

        ExplanationIndex.Write(_root.Path, new Dictionary<string, ReportExplanation> { ["img-000001.png"] = new("img-000001.png", null, null) });

        Assert.Equal(["img-000001.png"], ExplanationIndex.Read(_root.Path)!.Keys);
    }
}
