using System.CommandLine;
using System.Globalization;
using IpIqa.Core.Bundles;
using IpIqa.Inference.Bundles;
using Spectre.Console;

namespace IpIqa.Cli.Commands;

/// <summary><c>ipiqa inspect</c>: prints a bundle's manifest summary and verifies every file's SHA-256.</summary>
internal static class InspectCommand
{
    public const int ExitOk = 0;
    public const int ExitInvalid = 1;

    public static Command Create()
    {
        var model = CliOptions.Model();
        var command = new Command("inspect", "Print a model bundle's summary and verify its file hashes.") { model };
        command.SetAction(parse => Run(parse.GetValue(model)!, Console.Out));
        return command;
    }

    /// <summary>Writes the summary to <paramref name="output"/>; problems go to stderr. Returns 0 when the bundle is sound.</summary>
    public static int Run(string folder, TextWriter output)
    {
        BundleManifest manifest;
        var fullFolder = Path.GetFullPath(folder);
        try
        {
            manifest = BundleManifestSerializer.ReadFromFolder(fullFolder);
        }
        catch (InvalidDataException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitInvalid;
        }

        var identity = ModelIdentity.FromManifest(manifest);
        var a = manifest.Architecture;
        var lines = new List<(string Key, string Value)>
        {
            ("name", manifest.Name),
            ("version", manifest.Version),
            ("model hash", identity.Hash),
            ("created", manifest.Created.ToString("u", CultureInfo.InvariantCulture)),
            ("architecture", $"{a.Family} embed_dim={a.EmbedDim} vision_layers=[{string.Join(",", a.VisionLayers)}] vision_width={a.VisionWidth} transformer={a.TransformerLayers}x{a.TransformerWidth}/{a.TransformerHeads} head={a.Head}"),
            ("input", $"{manifest.Input.Resolution}x{manifest.Input.Resolution} {manifest.Input.Resize}, mean=[{Join(manifest.Input.Mean)}] std=[{Join(manifest.Input.Std)}]"),
            ("tokenizer", $"{manifest.Tokenizer.Type} context={manifest.Tokenizer.ContextLength} files: {string.Join(", ", ModelBundleLoader.TokenizerFiles(manifest.Tokenizer))}"),
            ("outputs", string.Join(", ", manifest.Outputs)),
            ("graph text", Graph(manifest.Graphs.Text)),
            ("graph image", Graph(manifest.Graphs.Image)),
            ("graph head", manifest.Graphs.Head is { } head ? Graph(head) : "none (words are explained with the whole image graph)"),
            ("calibration", manifest.Calibration is { } c ? $"{c.Reference} ({c.Count} items)" : "none"),
            ("provenance", manifest.Provenance?.Source ?? "none"),
        };
        if (manifest.Provenance is { } provenance)
        {
            // Where the weights came from and how they scored: a user deciding whether to trust a bundle reads this first.
            Add(lines, "  data", provenance.Data);
            Add(lines, "  command", provenance.Command);
            Add(lines, "  tool", provenance.Tool);
            Add(lines, "  code", provenance.CodeVersion);
            foreach (var (metric, value) in (provenance.Metrics ?? new Dictionary<string, double>()).OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                lines.Add(($"  {metric}", value.ToString("0.####", CultureInfo.InvariantCulture)));
            }
        }

        var width = Math.Min(lines.Max(l => l.Key.Length), 18);
        foreach (var (key, value) in lines)
        {
            output.WriteLine($"{key.PadRight(width)} {value}");
        }

        var problems = ModelBundleLoader.Verify(fullFolder, manifest);
        if (problems.Count == 0)
        {
            output.WriteLine($"{"verified".PadRight(width)} all file hashes match");
            return ExitOk;
        }

        foreach (var problem in problems)
        {
            CliConsole.Stderr.MarkupLine($"[red]problem:[/] {Markup.Escape(problem)}");
        }

        return ExitInvalid;
    }

    private static void Add(List<(string Key, string Value)> lines, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            lines.Add((key, value));
        }
    }

    private static string Graph(BundleGraph g) =>
        $"{g.File} {g.EffectivePrecision} opset {g.Opset} sha256 {g.Sha256} ({string.Join(", ", g.Inputs)} -> {string.Join(", ", g.Outputs)})"
        + (g.CalibrationSha256 is { } calibration ? $" calibration sha256 {calibration}" : "")
        + (g.CalibrationMethod is { } method ? $" calibration method {method}" : "")
        + (g.FloatConvolutions is { Count: > 0 } kept ? $" float32 convolutions {kept.Count}: {string.Join(", ", kept)}" : "")
        + (g.FloatProjections is true ? " float32 projections" : "");

    private static string Join(IEnumerable<float> values) => string.Join(", ", values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));
}
