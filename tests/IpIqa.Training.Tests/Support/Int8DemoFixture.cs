using System.CommandLine;
using IpIqa.Core.Bundles;
using IpIqa.TestSupport;
using IpIqa.Training.Commands;
using IpIqa.Training.Quantization;

namespace IpIqa.Training.Tests.Support;

/// <summary>
/// The demo bundle (trained weights) quantized to int8 once per test class: calibrated on 16 synthetic
/// images (<c>synth --seed 20242</c>), with 24 held-out synthetic images (<c>--seed 20241</c>) to score.
/// </summary>
public sealed class Int8DemoFixture : IDisposable
{
    private readonly TempDirectory _folder = new();

    public Int8DemoFixture()
    {
        Synth(CalibrationFolder, 16, 20242);
        Synth(HeldOutFolder, 24, 20241);
        Calibration = CalibrationSet.Resolve(Path.Combine(CalibrationFolder, "images"));
        Manifest = Int8BundleQuantizer.QuantizeBundle(DemoBundle.Folder, Calibration, Bundle, "test", CancellationToken.None);
    }

    public string CalibrationFolder => _folder.Combine("calibration");

    public string HeldOutFolder => _folder.Combine("held-out");

    public string Bundle => _folder.Combine("demo-int8");

    public CalibrationSet Calibration { get; }

    public BundleManifest Manifest { get; }

    public IReadOnlyList<string> HeldOutImages =>
        Directory.GetFiles(Path.Combine(HeldOutFolder, "images"), "*.png").Order(StringComparer.Ordinal).ToArray();

    public string Combine(string name) => _folder.Combine(name);

    private static void Synth(string output, int images, int seed)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(SynthCommand.Create());
        var code = root.Parse(["synth", "--out", output, "--prompts", images.ToString(System.Globalization.CultureInfo.InvariantCulture), "--images-per-prompt", "1", "--size", "64", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            .Invoke(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });
        if (code != 0)
        {
            throw new InvalidOperationException($"synth --seed {seed} exited with {code}.");
        }
    }

    public void Dispose() => _folder.Dispose();
}
