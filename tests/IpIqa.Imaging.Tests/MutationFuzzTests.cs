using IpIqa.Core.Errors;

namespace IpIqa.Imaging.Tests;

/// <summary>Cut or damaged copies of valid files: cuts are refused, damage decodes or fails with a coded error; nothing else escapes.</summary>
public sealed class MutationFuzzTests
{
    private const int Mutations = 150;

    public static TheoryData<string, bool> Formats() => new()
    {
        { "jpeg", true }, { "jpeg", false }, { "png", true }, { "png", false }, { "webp", true }, { "webp", false }, { "gif", false }, { "bmp", false },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryTruncation_IsTruncated(string format, bool native)
    {
        var original = Valid(format);
        var preprocessor = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = native });
        var spec = ClipNormalisation.Spec(16);
        for (var keep = 0.05; keep < 0.999; keep += 0.05)
        {
            var data = HostileCorpus.Truncate(original, keep);
            var error = Assert.Throws<IpIqaException>(() => preprocessor.Preprocess(data, spec, new float[spec.TensorLength]));
            Assert.True(error.Code == ErrorCodes.ImageTruncated, $"{format} cut to {data.Length} of {original.Length} bytes: {error.Code} ({error.Message})");
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void FlippedBytes_DecodeOrFailWithACode(string format, bool native)
    {
        var original = Valid(format);
        var preprocessor = new ImagePreprocessor(new ImagingOptions { UseNativeCodecs = native });
        var spec = ClipNormalisation.Spec(16);
        var tensor = new float[spec.TensorLength];
        var random = new Random(format.Length * 7919);
        for (var m = 0; m < Mutations; m++)
        {
            var data = (byte[])original.Clone();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                data[random.Next(data.Length)] = (byte)random.Next(256);
            }

            try
            {
                preprocessor.Preprocess(data, spec, tensor);
                Assert.All(tensor, v => Assert.True(float.IsFinite(v)));
            }
            catch (IpIqaException e)
            {
                Assert.Contains(e.Code, new[] { ErrorCodes.ImageUndecodable, ErrorCodes.ImageTruncated, ErrorCodes.ImageUnsupported, ErrorCodes.ImageTooLarge });
            }
        }
    }

    private static byte[] Valid(string format) => format switch
    {
        "jpeg" => HostileCorpus.Jpeg(),
        "png" => HostileCorpus.Png(),
        "webp" => HostileCorpus.WebP(),
        "gif" => HostileCorpus.Gif(),
        _ => HostileCorpus.Bmp(),
    };
}
