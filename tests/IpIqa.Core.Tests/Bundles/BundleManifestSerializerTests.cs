using IpIqa.Core.Bundles;
using IpIqa.TestSupport;

namespace IpIqa.Core.Tests.Bundles;

public sealed class BundleManifestSerializerTests
{
    [Fact]
    public void SerializeThenParse_RoundTripsEveryField()
    {
        var manifest = TestBundles.Manifest(new BundleTokenizer { Bpe = "bpe_simple_vocab_16e6.txt.gz", Sha256 = new Dictionary<string, string> { ["bpe_simple_vocab_16e6.txt.gz"] = "ab" } }) with
        {
            ScoreRange = new Dictionary<string, ScoreRange> { ["quality"] = new(0, 5) },
            Provenance = new BundleProvenance { Source = "import: ipiqa.pt", Metrics = new Dictionary<string, double> { ["srcc"] = 0.5 } },
        };

        var json = BundleManifestSerializer.Serialize(manifest);
        var parsed = BundleManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(json), "test");

        Assert.Equal(json, BundleManifestSerializer.Serialize(parsed));
        Assert.Equal("ipiqa-test", parsed.Name);
        Assert.Equal("bpe_simple_vocab_16e6.txt.gz", parsed.Tokenizer.Bpe);
        Assert.Equal(5, parsed.ScoreRange!["quality"].Max);
        Assert.Contains("\"context_length\": 77", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"calibration\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MinimalManifest_KeepsTheDefaultsOfAbsentProperties()
    {
        var json = """
            {"name": "m", "version": "1", "architecture": {}, "input": {"resolution": 320},
             "tokenizer": {"bpe": "bpe.gz"},
             "graphs": {"text": {"file": "t.onnx", "sha256": "0"}, "image": {"file": "i.onnx", "sha256": "1"}}}
            """u8;

        var manifest = BundleManifestSerializer.Parse(json, "bundle.json");

        Assert.Equal(["quality", "alignment"], manifest.Outputs);
        Assert.Equal(77, manifest.Tokenizer.ContextLength);
        Assert.Equal("clip-bpe", manifest.Tokenizer.Type);
        Assert.Empty(manifest.Tokenizer.Sha256);
        Assert.Equal(BundleInput.ClipMean, manifest.Input.Mean);
        Assert.Null(manifest.Graphs.Image.Precision);
        Assert.Equal(BundlePrecision.Fp32, manifest.Graphs.Image.EffectivePrecision);
        Assert.Equal(BundlePrecision.Fp32, manifest.Graphs.Text.EffectivePrecision);
    }

    [Fact]
    public void Precision_RoundTrips_AndIsLeftOutWhenUnset()
    {
        var manifest = TestBundles.Manifest(new BundleTokenizer { Bpe = "a.gz" });
        var fp16 = manifest with { Graphs = manifest.Graphs with { Image = manifest.Graphs.Image with { Precision = BundlePrecision.Fp16 } } };

        var json = BundleManifestSerializer.Serialize(fp16);
        var parsed = BundleManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(json), "bundle.json");

        Assert.Equal(BundlePrecision.Fp16, parsed.Graphs.Image.EffectivePrecision);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(json, "\"precision\": \"fp16\""));
        var unset = BundleManifestSerializer.Serialize(manifest);
        Assert.DoesNotContain("\"precision\"", unset, StringComparison.Ordinal);
        Assert.DoesNotContain("effective", unset, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("int4")]
    [InlineData("INT8")]
    [InlineData("FP16")]
    [InlineData("")]
    public void Parse_UnknownPrecision_NamesTheGraphAndTheKnownValues(string precision)
    {
        var json = """
            {"name": "m", "version": "1", "architecture": {}, "input": {"resolution": 320},
             "tokenizer": {"bpe": "bpe.gz"},
             "graphs": {"text": {"file": "t.onnx", "sha256": "0"}, "image": {"file": "i.onnx", "sha256": "1", "precision": "PRECISION"}}}
            """;

        var error = Assert.Throws<InvalidDataException>(() => BundleManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(json.Replace("PRECISION", precision, StringComparison.Ordinal)), "bundle.json"));

        Assert.Contains($"graphs.image.precision is '{precision}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'fp32', 'fp16', 'int8'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Int8ImageGraph_KeepsItsPrecisionCalibrationHashMethodAndFloatConvolutions()
    {
        var json = """
            {"name": "m", "version": "1", "architecture": {}, "input": {"resolution": 320},
             "tokenizer": {"bpe": "bpe.gz"},
             "graphs": {"text": {"file": "t.onnx", "sha256": "0"},
                        "image": {"file": "i.onnx", "sha256": "1", "precision": "int8", "calibrationSha256": "abc", "calibrationMethod": "entropy",
                                  "floatConvolutions": ["resnet50.stem/Conv", "resnet50.stem/Conv_1"]}}}
            """;

        var parsed = BundleManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(json), "bundle.json");
        var written = BundleManifestSerializer.Serialize(parsed);

        Assert.Equal(BundlePrecision.Int8, parsed.Graphs.Image.EffectivePrecision);
        Assert.Equal("abc", parsed.Graphs.Image.CalibrationSha256);
        Assert.Null(parsed.Graphs.Text.CalibrationSha256);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(written, "\"calibrationSha256\": \"abc\""));
        Assert.Equal(["resnet50.stem/Conv", "resnet50.stem/Conv_1"], BundleManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(written), "bundle.json").Graphs.Image.FloatConvolutions);
        Assert.Null(parsed.Graphs.Text.FloatConvolutions);
        Assert.Equal("entropy", BundleManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(written), "bundle.json").Graphs.Image.CalibrationMethod);
        Assert.Null(parsed.Graphs.Text.CalibrationMethod);
    }

    [Fact]
    public void ReadFromFolder_MissingFolder_SaysSo()
    {
        var error = Assert.Throws<InvalidDataException>(() => BundleManifestSerializer.ReadFromFolder("/nonexistent/bundle"));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFromFolder_NoManifest_SaysItIsNotABundle()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<InvalidDataException>(() => BundleManifestSerializer.ReadFromFolder(temp.Path));

        Assert.Contains("has no bundle.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFromFolder_MalformedJson_NamesFileAndPosition()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("bundle.json"), "{\"name\": \"x\",\n \"version\": }");

        var error = Assert.Throws<InvalidDataException>(() => BundleManifestSerializer.ReadFromFolder(temp.Path));

        Assert.Contains(temp.Combine("bundle.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("$.version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingRequiredProperty_NamesIt()
    {
        var error = Assert.Throws<InvalidDataException>(() => BundleManifestSerializer.Parse("{\"name\": \"x\"}"u8, "bundle.json"));

        Assert.Contains("version", error.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TokenizerWithBothForms_IsRejected()
    {
        var manifest = TestBundles.Manifest(new BundleTokenizer { Bpe = "a.gz", Vocab = "vocab.json", Merges = "merges.txt" });

        var error = Assert.Throws<InvalidDataException>(() => BundleManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(BundleManifestSerializer.Serialize(manifest)), "bundle.json"));

        Assert.Contains("either 'bpe' or both 'vocab' and 'merges'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownSchemaVersion_NamesBothVersions()
    {
        var manifest = TestBundles.Manifest(new BundleTokenizer { Bpe = "a.gz" }) with { SchemaVersion = 9 };

        var error = Assert.Throws<InvalidDataException>(() => BundleManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(BundleManifestSerializer.Serialize(manifest)), "bundle.json"));

        Assert.Contains("schemaVersion is 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NullSections_NameEachNullKey()
    {
        var json = """{"name": "m", "version": "1", "architecture": null, "input": null, "tokenizer": null, "graphs": null, "outputs": null}"""u8.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => BundleManifestSerializer.Parse(json, "bundle.json"));

        Assert.Contains("tokenizer is null", error.Message, StringComparison.Ordinal);
        Assert.Contains("graphs is null", error.Message, StringComparison.Ordinal);
        Assert.Contains("outputs is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ContextLengthsThatDisagree_NamesBoth()
    {
        var manifest = TestBundles.Manifest(new BundleTokenizer { Bpe = "a.gz", ContextLength = 64 });

        var problems = BundleManifestSerializer.Validate(manifest);

        Assert.Contains(problems, p => p.Contains("tokenizer.context_length is 64 but architecture.context_length is 77", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_VocabWithoutMerges_NamesTheMissingKey()
    {
        var manifest = TestBundles.Manifest(new BundleTokenizer { Vocab = "vocab.json" });

        var problems = BundleManifestSerializer.Validate(manifest);

        Assert.Contains(problems, p => p.Contains("tokenizer.merges", StringComparison.Ordinal));
    }
}
