using IpIqa.Core.Errors;
using IpIqa.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// A folder writer's prompt sidecars: a FIFO (whose open blocked the listing for ever), a link to <c>/dev/zero</c>
/// (read to 2 GiB, then the listing stopped), a file over 1 MiB (read whole) and, for
/// <c>ipiqa score --input</c>, a dangling link (which <see cref="File.Exists(string)"/> calls a file, so the read threw
/// and the whole input failed). Each is a problem of its own image; the other images keep their prompts.
/// </summary>
public sealed class HostileSidecarTests : IDisposable
{
    /// <summary>Only stops a test that would otherwise hang on a FIFO; a read that works takes milliseconds.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _root = new("hostile-sidecars");

    public HostileSidecarTests()
    {
        foreach (var name in new[] { "a.png", "fifo.png", "huge.png", "ok.png", "zero.png" })
        {
            File.WriteAllBytes(_root.Combine(name), [1, 2, 3]);
        }

        File.WriteAllText(_root.Combine("a.txt"), " a cat ");
        SpecialFiles.CreateFifo(_root.Combine("fifo.txt"));
        File.WriteAllText(_root.Combine("huge.txt"), new string('x', (1 << 20) + 1));
        File.WriteAllText(_root.Combine("ok.txt"), "a dog");
        File.CreateSymbolicLink(_root.Combine("zero.txt"), "/dev/zero");
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_rescore_folder_lists_every_image_and_fails_only_those_with_a_hostile_sidecar()
    {
        var listing = Task.Run(async () => await new LocalFolderSource(_root.Path).ListAsync(null, 10, CancellationToken.None).ToListAsync());

        var items = (await listing.WaitAsync(Guard)).SelectMany(p => p.Items).ToDictionary(i => i.Key);

        Assert.Equal(["a.png", "fifo.png", "huge.png", "ok.png", "zero.png"], items.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("a cat", items["a.png"].Prompt);
        Assert.Equal("a dog", items["ok.png"].Prompt);
        Assert.Null(items["ok.png"].ProblemCode);
        foreach (var key in new[] { "fifo.png", "huge.png", "zero.png" })
        {
            Assert.Null(items[key].Prompt);
            Assert.Equal(ErrorCodes.PromptInvalid, items[key].ProblemCode);
            Assert.Contains(Path.ChangeExtension(key, ".txt"), items[key].Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_score_input_folder_reads_every_image_and_fails_only_those_with_a_hostile_sidecar()
    {
        File.WriteAllBytes(_root.Combine("dangling.png"), [1, 2, 3]);
        File.CreateSymbolicLink(_root.Combine("dangling.txt"), _root.Combine("nowhere.txt"));

        var reading = Task.Run(() => ScoreInputReader.ReadAsync(_root.Path, CancellationToken.None));

        var inputs = (await reading.WaitAsync(Guard)).ToDictionary(i => i.Image);

        Assert.Equal("a cat", inputs["a.png"].Prompt);
        Assert.Equal("a dog", inputs["ok.png"].Prompt);
        Assert.Equal(ErrorCodes.PromptMissing, inputs["dangling.png"].ProblemCode);
        Assert.Contains("'dangling.txt' does not exist", inputs["dangling.png"].Problem, StringComparison.Ordinal);
        foreach (var image in new[] { "fifo.png", "huge.png", "zero.png" })
        {
            Assert.Null(inputs[image].Prompt);
            Assert.Equal(ErrorCodes.PromptInvalid, inputs[image].ProblemCode);
            Assert.Contains(Path.ChangeExtension(image, ".txt"), inputs[image].Problem, StringComparison.Ordinal);
        }
    }
}
