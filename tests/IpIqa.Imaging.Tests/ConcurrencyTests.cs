namespace IpIqa.Imaging.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public void Preprocess_FromManyThreadsAtOnce_GivesTheSameTensorsAsOneThread()
    {
        var preprocessor = new ImagePreprocessor(new ImagingOptions());
        var spec = ClipNormalisation.Spec(48);
        var files = new[] { HostileCorpus.Jpeg(200, 120), HostileCorpus.Png(90, 160), HostileCorpus.WebP(), HostileCorpus.Gif(), HostileCorpus.Bmp() };
        var expected = files.Select(f =>
        {
            var t = new float[spec.TensorLength];
            preprocessor.Preprocess(f, spec, t);
            return t;
        }).ToArray();

        var mismatches = 0;
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var t = new float[spec.TensorLength];
            preprocessor.Preprocess(files[i % files.Length], spec, t);
            if (!t.AsSpan().SequenceEqual(expected[i % files.Length]))
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        Assert.Equal(0, mismatches);
    }
}
