using System.Text.Json;
using IpIqa.Cli.Explain;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Inference;
using IpIqa.Inference.Explain;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Cli.Tests.Explain;

/// <summary><c>ipiqa score --explain DIR</c>: an overlay PNG and the raw map per scored image, or a clear refusal.</summary>
public sealed class ScoreExplainTests(ReferenceBundle reference) : IClassFixture<ReferenceBundle>, IDisposable
{
    private const string AttentionFixture = "ipiqa-reference/attention.json";
    private const double Tolerance = 1e-4;
    private readonly TempDirectory _temp = new("score-explain");

    public void Dispose() => _temp.Dispose();

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab, AttentionFixture)]
    public async Task Explain_writes_the_reference_map_and_an_overlay_for_each_scored_image_and_none_for_a_broken_one()
    {
        var samples = ReferenceBundle.Samples();
        var images = Directory.CreateDirectory(_temp.Combine("images")).FullName;
        for (var i = 0; i < samples.Count; i++)
        {
            var name = $"s{i}{Path.GetExtension(samples[i].Image)}";
            File.Copy(samples[i].Image, Path.Combine(images, name));
            File.WriteAllText(Path.Combine(images, Path.ChangeExtension(name, ".txt")), samples[i].Prompt);
        }

        File.WriteAllBytes(Path.Combine(images, "u-broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        File.WriteAllText(Path.Combine(images, "u-broken.txt"), "a broken file");
        var explain = _temp.Combine("explain");
        var settings = new ScoreSettings(reference.Folder, images, _temp.Combine("r.jsonl"), new Thresholds(null, null), 4, 1, ExecutionProvider.Cpu, ExplainFolder: explain);

        var exit = await ScoreRunner.RunAsync(settings, CancellationToken.None);

        Assert.Equal(ExitCodes.InputsFailed, exit); // the broken image
        var (expected, grid) = ReadFixture();
        Assert.Equal(samples.Count * 2, Directory.GetFiles(explain).Length);
        for (var i = 0; i < samples.Count; i++)
        {
            var stem = Path.Combine(explain, $"s{i}{Path.GetExtension(samples[i].Image)}");
            using var json = JsonDocument.Parse(File.ReadAllBytes(stem + ExplanationWriter.JsonSuffix));
            var root = json.RootElement;
            Assert.Equal(samples[i].Prompt, root.GetProperty("prompt").GetString());
            Assert.Equal(grid, root.GetProperty("grid").GetInt32());
            var rows = root.GetProperty("attention").EnumerateArray().ToArray();
            Assert.Equal(grid, rows.Length);
            var actual = rows.SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray();
            for (var k = 0; k < actual.Length; k++)
            {
                Assert.InRange(actual[k], expected[(i * grid * grid) + k] - Tolerance, expected[(i * grid * grid) + k] + Tolerance);
            }

            using var overlay = Image.Load<Rgb24>(stem + ExplanationWriter.OverlaySuffix);
            using var source = Image.Load<Rgb24>(samples[i].Image);
            Assert.Equal(AttentionOverlay.MaxSide, Math.Max(overlay.Width, overlay.Height));
            Assert.InRange((double)overlay.Width / overlay.Height, ((double)source.Width / source.Height) - 0.01, ((double)source.Width / source.Height) + 0.01);
        }
    }

    [FixtureFact(ReferenceBundle.Vocab)]
    public async Task Explain_with_a_bundle_without_the_attention_output_is_a_usage_error_before_anything_is_written()
    {
        var images = Directory.CreateDirectory(_temp.Combine("images")).FullName;
        File.Copy(DemoBundle.Sample("good-clean.png"), Path.Combine(images, "a.png"));
        File.WriteAllText(Path.Combine(images, "a.txt"), "a red circle");
        var explain = _temp.Combine("explain");
        var output = _temp.Combine("r.jsonl");
        var bundle = DemoBundle.CopyWithoutAttention(_temp.Combine("no-attention"));
        var settings = new ScoreSettings(bundle, images, output, new Thresholds(null, null), 2, 1, ExecutionProvider.Cpu, ExplainFolder: explain);

        var exit = await ScoreRunner.RunAsync(settings, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.False(Directory.Exists(explain));
        Assert.False(File.Exists(output));
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task Explain_words_lists_each_word_with_the_alignment_of_the_prompt_without_it()
    {
        var sample = ReferenceBundle.Samples()[0];
        var images = Directory.CreateDirectory(_temp.Combine("images")).FullName;
        var image = Path.Combine(images, "a" + Path.GetExtension(sample.Image));
        File.Copy(sample.Image, image);
        File.WriteAllText(Path.ChangeExtension(image, ".txt"), sample.Prompt);
        var explain = _temp.Combine("explain");
        var settings = new ScoreSettings(reference.Folder, images, _temp.Combine("r.jsonl"), new Thresholds(null, null), 4, 1, ExecutionProvider.Cpu, ExplainFolder: explain, ExplainWords: true);

        Assert.Equal(ExitCodes.Ok, await ScoreRunner.RunAsync(settings, CancellationToken.None));

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(explain, Path.GetFileName(image) + ExplanationWriter.JsonSuffix)));
        var full = json.RootElement.GetProperty("scores").GetProperty("alignment").GetDouble();
        var words = json.RootElement.GetProperty("words").EnumerateArray().ToArray();
        var split = sample.Prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(split, words.Select(w => w.GetProperty("word").GetString()));

        // Each entry is the alignment of that variant scored on its own.
        await using var loaded = CliEngine.Load(reference.Folder, 4, 1, ExecutionProvider.Cpu, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        for (var i = 0; i < split.Length; i++)
        {
            var variant = string.Join(' ', split.Where((_, j) => j != i));
            var outcome = await loaded.Engine.ScoreAsync(new Core.Jobs.ScorerInput(Core.Jobs.ImageInput.FromFile(image), variant), CancellationToken.None);
            var without = words[i].GetProperty("alignmentWithout").GetDouble();
            Assert.Equal(outcome.Scores!.Alignment, without, 1e-6);
            Assert.Equal(full - without, words[i].GetProperty("change").GetDouble(), 1e-9);
        }

        Assert.Contains(words, w => Math.Abs(w.GetProperty("change").GetDouble()) > 1e-6); // leaving a word out changes something
    }

    [Fact]
    public async Task Explain_words_without_explain_is_a_usage_error()
    {
        var settings = new ScoreSettings("no-bundle", "no-input", _temp.Combine("r.jsonl"), new Thresholds(null, null), 2, 1, ExecutionProvider.Cpu, ExplainWords: true);

        Assert.Equal(ExitCodes.Usage, await ScoreRunner.RunAsync(settings, CancellationToken.None));
        Assert.False(File.Exists(_temp.Combine("r.jsonl")));
    }

    private static (float[] Values, int Grid) ReadFixture()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf(AttentionFixture)));
        var grid = json.RootElement.GetProperty("shape")[1].GetInt32();
        return (json.RootElement.GetProperty("attention").EnumerateArray().Select(v => v.GetSingle()).ToArray(), grid);
    }
}
