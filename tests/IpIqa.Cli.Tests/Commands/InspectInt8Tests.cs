using IpIqa.Cli.Commands;
using IpIqa.Core.Bundles;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Commands;

/// <summary><c>ipiqa inspect</c> on an int8 bundle says what it is: the precision, the calibration set's hash and method (#16).</summary>
public sealed class InspectInt8Tests
{
    [Fact]
    public void InspectShowsTheConvolutionsAnInt8ImageGraphKeepsInFloat32AndItsCalibrationMethod()
    {
        using var folder = new TempDirectory("int8-bundle");
        foreach (var file in Directory.GetFiles(DemoBundle.Folder))
        {
            File.Copy(file, Path.Combine(folder.Path, Path.GetFileName(file)));
        }

        var manifest = BundleManifestSerializer.ReadFromFolder(folder.Path);
        var image = manifest.Graphs.Image with
        {
            Precision = BundlePrecision.Int8,
            CalibrationSha256 = new string('c', 64),
            CalibrationMethod = "percentile 0.9999",
            FloatConvolutions = ["resnet50.stem/Conv_0", "resnet50.layer1.0/Conv_3"],
            FloatProjections = true,
        };
        BundleManifestSerializer.WriteToFolder(manifest with { Graphs = manifest.Graphs with { Image = image } }, folder.Path);
        using var output = new StringWriter();

        var exit = InspectCommand.Run(folder.Path, output);

        Assert.Equal(InspectCommand.ExitOk, exit);
        Assert.Contains(output.ToString().Split('\n'), l => l.StartsWith("graph image", StringComparison.Ordinal)
            && l.Contains("float32 convolutions 2: resnet50.stem/Conv_0, resnet50.layer1.0/Conv_3", StringComparison.Ordinal)
            && l.Contains("calibration method percentile 0.9999", StringComparison.Ordinal)
            && l.Contains("float32 projections", StringComparison.Ordinal));
    }

    [Fact]
    public void InspectShowsAnInt8ImageGraphWithItsCalibrationHash()
    {
        using var folder = new TempDirectory("int8-bundle");
        foreach (var file in Directory.GetFiles(DemoBundle.Folder))
        {
            File.Copy(file, Path.Combine(folder.Path, Path.GetFileName(file)));
        }

        var manifest = BundleManifestSerializer.ReadFromFolder(folder.Path);
        var calibration = new string('c', 64);
        BundleManifestSerializer.WriteToFolder(
            manifest with { Graphs = manifest.Graphs with { Image = manifest.Graphs.Image with { Precision = BundlePrecision.Int8, CalibrationSha256 = calibration } } },
            folder.Path);
        using var output = new StringWriter();

        var exit = InspectCommand.Run(folder.Path, output);

        Assert.Equal(InspectCommand.ExitOk, exit);
        var lines = output.ToString().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("graph image", StringComparison.Ordinal)
            && l.Contains("image.onnx int8 opset 17", StringComparison.Ordinal)
            && l.Contains($"calibration sha256 {calibration}", StringComparison.Ordinal)
            && !l.Contains("float32 convolutions", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("graph text", StringComparison.Ordinal) && !l.Contains("calibration", StringComparison.Ordinal));
    }
}
