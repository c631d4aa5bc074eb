using IpIqa.Inference.Tests.Support;

namespace IpIqa.Cli.Tests.Explain;

/// <summary>A folder of the reference samples as <c>sN.EXT</c>, each with its prompt in <c>sN.txt</c>.</summary>
internal static class SampleGallery
{
    public static string Create(string folder)
    {
        var samples = ReferenceBundle.Samples();
        var images = Directory.CreateDirectory(folder).FullName;
        for (var i = 0; i < samples.Count; i++)
        {
            var name = $"s{i}{Path.GetExtension(samples[i].Image)}";
            File.Copy(samples[i].Image, Path.Combine(images, name));
            File.WriteAllText(Path.Combine(images, Path.ChangeExtension(name, ".txt")), samples[i].Prompt);
        }

        return images;
    }
}
