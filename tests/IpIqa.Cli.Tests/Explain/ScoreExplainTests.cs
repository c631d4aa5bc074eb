using System.Text.Json;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using IpIqa.Inference;
using IpIqa.Inference.Explain;
using IpIqa.Inference.Tests.Support;
using IpIqa.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace IpIqa.Cli.Tests.Explain;

/// <summary>
/// <c>ipiqa score --explain DIR</c>: an overlay PNG and the raw map per scored image, or a clear refusal. Each image is a
/// request with <c>"explain"</c> through the one scoring service, so its result names its files, as a worker job's does.
/// </summary>
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
        var images = SampleGallery.Create(_temp.Combine("images"));

        File.WriteAllBytes(Path.Combine(images, "u-broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        File.WriteAllText(Path.Combine(images, "u-broken.txt"), "a broken file");
        var explain = _temp.Combine("explain");
        var settings = new ScoreSettings(reference.Folder, images, _temp.Combine("r.jsonl"), new Thresholds(null, null), 4, 1, ExecutionProvider.Cpu, ExplainFolder: explain);

        var exit = await ScoreRunner.RunAsync(settings, CancellationToken.None);

        Assert.Equal(ExitCodes.InputsFailed, exit); // the broken image
        var (expected, grid) = ReadFixture();
        Assert.Equal(samples.Count * 2, Directory.GetFiles(explain).Length);
        var results = Results(_temp.Combine("r.jsonl"));
        Assert.Null(results["u-broken.png"].Explanation);
        for (var i = 0; i < samples.Count; i++)
        {
            var named = results[$"s{i}{Path.GetExtension(samples[i].Image)}"].Explanation!;
            Assert.Equal(Path.GetFullPath(explain), Path.GetDirectoryName(named.Attention));
            using var json = JsonDocument.Parse(File.ReadAllBytes(named.Attention!));
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

            Assert.Equal(Path.GetFileName(named.Overlay), root.GetProperty("overlay").GetString());
            using var overlay = Image.Load<Rgb24>(named.Overlay!);
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
        var (images, image, sample) = OneSample();
        var explain = _temp.Combine("explain");
        var settings = new ScoreSettings(reference.Folder, images, _temp.Combine("r.jsonl"), new Thresholds(null, null), 4, 1, ExecutionProvider.Cpu, ExplainFolder: explain, ExplainWords: true);

        Assert.Equal(ExitCodes.Ok, await ScoreRunner.RunAsync(settings, CancellationToken.None));

        var result = Assert.Single(Results(_temp.Combine("r.jsonl")).Values);
        using var json = JsonDocument.Parse(File.ReadAllBytes(result.Explanation!.Attention!));
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
        Assert.Equal(words.Select(w => w.GetProperty("change").GetDouble()), result.Explanation.Words!.Select(w => w.Change!.Value)); // the result names them too
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task Explain_adds_the_explanation_columns_to_a_csv_and_a_parquet_file()
    {
        var (images, image, sample) = OneSample();
        var explain = _temp.Combine("explain");
        var csv = _temp.Combine("r.csv");
        var plain = _temp.Combine("plain.csv");
        var parquet = _temp.Combine("r.parquet");

        Assert.Equal(ExitCodes.Ok, await ScoreRunner.RunAsync(new ScoreSettings(reference.Folder, images, csv, new Thresholds(null, null), 4, 1, ExecutionProvider.Cpu, ExplainFolder: explain, ExplainWords: true), CancellationToken.None));
        Assert.Equal(ExitCodes.Ok, await ScoreRunner.RunAsync(new ScoreSettings(reference.Folder, images, parquet, new Thresholds(null, null), 4, 1, ExecutionProvider.Cpu, ExplainFolder: explain, ExplainWords: true), CancellationToken.None));
        Assert.Equal(ExitCodes.Ok, await ScoreRunner.RunAsync(new ScoreSettings(reference.Folder, images, plain, new Thresholds(null, null), 4, 1, ExecutionProvider.Cpu), CancellationToken.None));

        var header = File.ReadLines(csv).First().Split(',');
        var row = Assert.Single(Rescoring.RescoreFolderTests.ReadCsv(csv));
        Assert.Equal(["explanation_overlay", "explanation_attention", "unsupported_words", "explanation_error"], header[^4..]);
        var overlay = row["explanation_overlay"];
        var attention = row["explanation_attention"];
        Assert.True(File.Exists(overlay), overlay);
        using var json = JsonDocument.Parse(File.ReadAllBytes(attention));
        var unsupported = json.RootElement.GetProperty("words").EnumerateArray().Where(w => w.GetProperty("change").GetDouble() < 0).Select(w => w.GetProperty("word").GetString());
        Assert.Equal(string.Join(';', unsupported), row["unsupported_words"]);
        Assert.DoesNotContain("explanation_overlay", File.ReadLines(plain).First(), StringComparison.Ordinal);
        var stored = Assert.Single((await Scoring.ParquetFiles.ReadAsync(parquet)).Rows);
        Assert.Equal(overlay, stored["explanation_overlay"]);
        Assert.Equal(attention, stored["explanation_attention"]);
    }

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab)]
    public async Task Explain_gives_two_images_whose_names_read_alike_files_of_their_own()
    {
        // "a b.png" and "a_b.png" once both wrote a_b.png.overlay.png: the second overwrote the first's explanation.
        var sample = ReferenceBundle.Samples()[0];
        var images = Directory.CreateDirectory(_temp.Combine("images")).FullName;
        foreach (var name in new[] { "a b", "a_b" })
        {
            File.Copy(sample.Image, Path.Combine(images, name + Path.GetExtension(sample.Image)));
            File.WriteAllText(Path.Combine(images, name + ".txt"), sample.Prompt);
        }

        var explain = _temp.Combine("explain");
        var settings = new ScoreSettings(reference.Folder, images, _temp.Combine("r.jsonl"), new Thresholds(null, null), 4, 1, ExecutionProvider.Cpu, ExplainFolder: explain);

        Assert.Equal(ExitCodes.Ok, await ScoreRunner.RunAsync(settings, CancellationToken.None));

        Assert.Equal(4, Directory.GetFiles(explain).Length);
        var named = Results(_temp.Combine("r.jsonl")).Values.Select(r => r.Explanation!.Overlay).Distinct().ToArray();
        Assert.Equal(2, named.Length);
        Assert.All(named, path => Assert.True(File.Exists(path), path));
    }

    [Fact]
    public async Task Explain_words_without_explain_is_a_usage_error()
    {
        var settings = new ScoreSettings("no-bundle", "no-input", _temp.Combine("r.jsonl"), new Thresholds(null, null), 2, 1, ExecutionProvider.Cpu, ExplainWords: true);

        Assert.Equal(ExitCodes.Usage, await ScoreRunner.RunAsync(settings, CancellationToken.None));
        Assert.False(File.Exists(_temp.Combine("r.jsonl")));
    }

    /// <summary>A folder holding the first reference sample as <c>a.EXT</c> with its prompt.</summary>
    private (string Images, string Image, (string Image, string Prompt) Sample) OneSample()
    {
        var sample = ReferenceBundle.Samples()[0];
        var images = Directory.CreateDirectory(_temp.Combine("images")).FullName;
        var image = Path.Combine(images, "a" + Path.GetExtension(sample.Image));
        File.Copy(sample.Image, image);
        File.WriteAllText(Path.ChangeExtension(image, ".txt"), sample.Prompt);
        return (images, image, (sample.Image, sample.Prompt));
    }

    private static Dictionary<string, ScoringResult> Results(string jsonl) =>
        File.ReadAllLines(jsonl).Select(l => ScoringJson.DeserializeResult(System.Text.Encoding.UTF8.GetBytes(l))).ToDictionary(r => r.JobId!);

    private static (float[] Values, int Grid) ReadFixture()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Fixtures.PathOf(AttentionFixture)));
        var grid = json.RootElement.GetProperty("shape")[1].GetInt32();
        return (json.RootElement.GetProperty("attention").EnumerateArray().Select(v => v.GetSingle()).ToArray(), grid);
    }
}
