using System.Buffers.Binary;
using IpIqa.Core.Errors;
using IpIqa.Core.Imaging;

namespace IpIqa.Imaging.Tests;

/// <summary>
/// Mutation fuzzing of the header readers and truncation guards: header fields set to extremes,
/// cuts, insertions, deletions and spliced end markers over small valid files of every format.
/// Every case ends as a tensor or as an image error code; nothing else escapes. The cases, split
/// evenly between the native and the managed decoders, number <see cref="DefaultCases"/> unless
/// <c>IPIQA_FUZZ_CASES</c> sets them (docs/imaging.md has the long run). A failure names its seed.
/// </summary>
public sealed class HeaderFuzzTests
{
    private const int DefaultCases = 10_000;

    private static readonly string[] ImageCodes =
        [ErrorCodes.ImageEmpty, ErrorCodes.ImageTooLarge, ErrorCodes.ImageUnsupported, ErrorCodes.ImageUndecodable, ErrorCodes.ImageTruncated];

    private static readonly byte[][] EndMarkers = [[0xFF, 0xD9], [0, 0, 0, 0, .. "IEND"u8, 0xAE, 0x42, 0x60, 0x82], [0x3B], [0xFF, 0xDA]];

    public static TheoryData<bool> Decoders() => new() { true, false };

    [Theory]
    [MemberData(nameof(Decoders))]
    public void MutatedHeaders_EndInATensorOrAnImageErrorCode(bool native)
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("IPIQA_FUZZ_CASES"), out var n) && n > 0 ? n : DefaultCases;
        var first = native ? 0 : total / 2;
        var end = native ? total / 2 : total;
        byte[][] seeds =
        [
            HostileCorpus.Jpeg(24, 16), HostileCorpus.Png(24, 16), HostileCorpus.WebP(), HostileCorpus.Gif(), HostileCorpus.Bmp(),
            HostileCorpus.PngBomb(3000, 3000), HostileCorpus.JpegWithClaimedSize(3000, 3000),
            PngBuilder.Build(5, 3, 8, 2, [new byte[15], new byte[15], new byte[15]]),
            AnimatedWebPBuilder.Build(40, 30, (HostileCorpus.WebP(), 64, 48, 0, 0)),
            AnimatedWebPBuilder.Build(80, 60, (HostileCorpus.WebP(), 64, 48, 8, 6)),
        ];

        // Small caps keep each case cheap: a mutated header may declare any size.
        var preprocessor = new ImagePreprocessor(new ImagingOptions
        {
            UseNativeCodecs = native,
            Limits = new ImageLimits { MaxPixels = 512 * 512, MaxDecoderMemoryMegabytes = 64 },
        });
        var spec = ClipNormalisation.Spec(8);
        var tensor = new float[spec.TensorLength];
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = first; i < end; i++)
        {
            var random = new Random(i);
            var data = Mutate(seeds[random.Next(seeds.Length)], random);
            string outcome;
            try
            {
                preprocessor.Preprocess(data, spec, tensor);
                Assert.True(Array.TrueForAll(tensor, float.IsFinite), $"case {i}: the tensor holds a non-finite value");
                outcome = "decoded";
            }
            catch (IpIqaException e)
            {
                Assert.True(ImageCodes.Contains(e.Code), $"case {i}: code {e.Code} ({e.Message})");
                outcome = e.Code;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} (seed {i}, {data.Length} bytes, native {native}) escaped: {e}");
                throw;
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // A fuzzer that only ever produces one outcome is not reaching the guards.
        Assert.True(outcomes.GetValueOrDefault("decoded") > 0, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault(ErrorCodes.ImageTruncated) > 0, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault(ErrorCodes.ImageUndecodable) > 0, string.Join(", ", outcomes));
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        for (var m = random.Next(1, 4); m > 0 && data.Count > 0; m--)
        {
            // Headers live in the first bytes; most mutations aim there.
            var at = random.Next(random.Next(4) == 0 ? data.Count : Math.Min(data.Count, 64));
            switch (random.Next(7))
            {
                case 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 1:
                    WriteField(data, at, random);
                    break;
                case 2:
                    var cut = random.Next(data.Count);
                    data.RemoveRange(cut, data.Count - cut);
                    break;
                case 3:
                    data.InsertRange(at, HostileCorpus.RandomBytes(random.Next(1, 16), random.Next()));
                    break;
                case 4:
                    data.RemoveRange(at, Math.Min(random.Next(1, 16), data.Count - at));
                    break;
                case 5:
                    data.InsertRange(random.Next(data.Count + 1), EndMarkers[random.Next(EndMarkers.Length)]);
                    break;
                default:
                    data.RemoveRange(at, data.Count - at);
                    data.AddRange(EndMarkers[random.Next(EndMarkers.Length)]);
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>Overwrites a 16- or 32-bit field, either byte order, with an extreme or random value.</summary>
    private static void WriteField(List<byte> data, int at, Random random)
    {
        uint[] extremes = [0, 1, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 8000];
        var value = random.Next(2) == 0 ? extremes[random.Next(extremes.Length)] : (uint)random.Next();
        var width = random.Next(2) == 0 ? 2 : 4;
        Span<byte> bytes = stackalloc byte[4];
        if (random.Next(2) == 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value << (width == 2 ? 16 : 0));
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        }

        for (var k = 0; k < width && at + k < data.Count; k++)
        {
            data[at + k] = bytes[k];
        }
    }
}
