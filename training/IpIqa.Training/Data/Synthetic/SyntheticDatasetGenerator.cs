using System.Globalization;
using System.Text;
using System.Text.Json;
using IpIqa.Training.Data.Tables;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;

namespace IpIqa.Training.Data.Synthetic;

/// <summary>
/// Writes a synthetic data set in the AGIQA-3k layout (<c>data.csv</c> + <c>images/</c>). Every image draws
/// from its own random, seeded from (seed, prompt, image), so the output is byte-identical for a seed
/// whatever the degree of parallelism.
/// </summary>
public static class SyntheticDatasetGenerator
{
    public const string TableName = "data.csv";
    public const string ImagesFolder = "images";
    public const string ManifestName = "synth.json";

    private static readonly string[] Header = ["name", "prompt", "adj1", "adj2", "style", "mos_quality", "std_quality", "mos_align", "std_align"];

    /// <summary>Generates the set; <paramref name="progress"/> receives the number of images written so far.</summary>
    public static async Task<IReadOnlyList<SynthImage>> GenerateAsync(SynthOptions options, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var output = Path.GetFullPath(options.OutputDirectory);
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw new IOException($"The output folder '{output}' is not empty; choose a new or empty folder.");
        }

        var imagesDir = Path.Combine(output, ImagesFolder);
        Directory.CreateDirectory(imagesDir);
        var prompts = DistinctPrompts(options);
        var digits = Math.Max(3, (options.Prompts - 1).ToString(CultureInfo.InvariantCulture).Length);
        var total = options.Prompts * options.ImagesPerPrompt;
        var images = new SynthImage[total];
        var done = 0;
        await Parallel.ForAsync(0, total, cancellationToken, async (n, ct) =>
        {
            var (p, k) = (n / options.ImagesPerPrompt, n % options.ImagesPerPrompt);
            var name = string.Create(CultureInfo.InvariantCulture, $"synth_v{k:D2}_{p.ToString("D" + digits, CultureInfo.InvariantCulture)}.png");
            images[n] = await RenderOneAsync(prompts[p], name, imagesDir, options, new Random(SeedMix.Combine(options.Seed, p, k)), ct);
            progress?.Report(Interlocked.Increment(ref done));
        });

        await WriteTableAsync(Path.Combine(output, TableName), images, cancellationToken);
        await WriteManifestAsync(Path.Combine(output, ManifestName), options, cancellationToken);
        return images;
    }

    /// <summary>
    /// One scene per prompt index, redrawn (up to 64 times) while its text repeats an earlier prompt, so that
    /// prompt groups and prompt texts coincide. Beyond the grammar's size texts must repeat.
    /// </summary>
    internal static SceneSpec[] DistinctPrompts(SynthOptions options)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var scenes = new SceneSpec[options.Prompts];
        for (var p = 0; p < scenes.Length; p++)
        {
            var attempt = 0;
            do
            {
                scenes[p] = PromptGrammar.Sample(new Random(SeedMix.Combine(options.Seed, p, -1 - attempt)));
            }
            while (!seen.Add(scenes[p].ToPrompt()) && ++attempt < 64);
        }

        return scenes;
    }

    private static async Task<SynthImage> RenderOneAsync(SceneSpec prompt, string name, string imagesDir, SynthOptions options, Random random, CancellationToken cancellationToken)
    {
        var quality = ControlSampler.Quality(random);
        var (alignment, rendered) = ControlSampler.Alignment(prompt, random);
        using (var image = Degrader.Apply(SceneRasterizer.Render(rendered, options.Size, random), quality, random))
        {
            await image.SaveAsPngAsync(Path.Combine(imagesDir, name), new PngEncoder(), cancellationToken);
        }

        var (mosQ, stdQ) = RaterPanel.Rate(SyntheticMos.Quality(quality), random);
        var (mosA, stdA) = RaterPanel.Rate(SyntheticMos.Alignment(alignment, quality), random);
        return new SynthImage(name, prompt.ToPrompt(), rendered, quality, alignment, mosQ, stdQ, mosA, stdA);
    }

    private static async Task WriteTableAsync(string path, IReadOnlyList<SynthImage> images, CancellationToken cancellationToken)
    {
        static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        var rows = images.Select(i => (IReadOnlyList<string>)
            [i.Name, i.Prompt, i.Quality.Describe(), i.Alignment.Describe(), i.Rendered.Style.ToString().ToLowerInvariant(), F(i.MosQuality), F(i.StdQuality), F(i.MosAlign), F(i.StdAlign)]);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        CsvTable.Write(writer, [Header, .. rows]);
        await File.WriteAllTextAsync(path, writer.ToString(), new UTF8Encoding(false), cancellationToken);
    }

    private static async Task WriteManifestAsync(string path, SynthOptions options, CancellationToken cancellationToken)
    {
        var manifest = new Dictionary<string, object>
        {
            ["generator"] = "ipiqa-train synth",
            ["layout"] = "agiqa-3k",
            ["prompts"] = options.Prompts,
            ["imagesPerPrompt"] = options.ImagesPerPrompt,
            ["size"] = options.Size,
            ["seed"] = options.Seed,
            ["scale"] = new[] { 0.0, SyntheticMos.Max },
            ["raters"] = RaterPanel.Raters,
            ["formulas"] = "docs/synthetic-data.md",
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }) + "\n", new UTF8Encoding(false), cancellationToken);
    }
}
