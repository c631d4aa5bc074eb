using System.CommandLine;
using System.Text.Json;
using IpIqa.Core.Bundles;
using IpIqa.Core.Imaging;
using IpIqa.Imaging;
using IpIqa.Imaging.Benchmarks;

namespace IpIqa.Cli.Commands;

/// <summary>
/// <c>ipiqa bench preprocess --input DIR --size S --threads N</c>: decode + resize + normalise every
/// file of DIR (held in memory) and print one JSON line with the per-image cost.
/// </summary>
internal static class BenchPreprocessCommand
{
    public static Command Create()
    {
        var input = new Option<DirectoryInfo>("--input") { Description = "Folder of encoded images (its top level is read).", Required = true };
        var size = new Option<int>("--size") { Description = "Output side in pixels.", DefaultValueFactory = _ => 224 };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => 1 };
        var rounds = new Option<int>("--rounds") { Description = "Timed passes over the folder.", DefaultValueFactory = _ => 5 };
        var managed = new Option<bool>("--managed-only") { Description = "Decode everything with ImageSharp, not libjpeg-turbo/libwebp." };

        var command = new Command("preprocess", "Benchmark image preprocessing (decode, bicubic resize, normalise).");
        command.Options.Add(input);
        command.Options.Add(size);
        command.Options.Add(threads);
        command.Options.Add(rounds);
        command.Options.Add(managed);
        command.SetAction((parse, cancellationToken) =>
        {
            var (stdout, stderr) = (parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            var folder = parse.GetValue(input)!;
            var (s, t, r) = (parse.GetValue(size), parse.GetValue(threads), parse.GetValue(rounds));
            if (!folder.Exists)
            {
                return Fail(stderr, $"--input: folder '{folder.FullName}' does not exist.");
            }

            if (s is < 1 or > 8192 || t is < 1 or > 1024 || r < 1)
            {
                return Fail(stderr, $"--size must be 1..8192 (got {s}), --threads 1..1024 (got {t}), --rounds at least 1 (got {r}).");
            }

            // Only images: a folder of samples also holds their .txt prompts and manifests.
            var files = folder.EnumerateFiles().Where(f => ImageFileExtensions.IsImage(f.Name)).OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => File.ReadAllBytes(f.FullName)).ToList();
            if (files.Count == 0)
            {
                return Fail(stderr, $"--input: folder '{folder.FullName}' has no image files ({string.Join(' ', ImageFileExtensions.All.Order(StringComparer.Ordinal))}).");
            }

            var preprocessor = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = !parse.GetValue(managed) });
            var benchmark = new PreprocessBenchmark(preprocessor, preprocessor.DecoderDescription);
            var result = benchmark.Run(files, new PreprocessSpec(s, BundleInput.ClipMean, BundleInput.ClipStd), t, r, cancellationToken);
            stdout.WriteLine(JsonSerializer.Serialize(result, CliJsonContext.Default.PreprocessBenchmarkResult));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Task<int> Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine(message);
        return Task.FromResult(2);
    }
}
