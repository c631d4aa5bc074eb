using IpIqa.Core.Tokenization;
using IpIqa.TestSupport;

namespace IpIqa.Core.Tests.Tokenization;

public sealed class ClipBpeVocabularyTests
{
    [FixtureFact(ClipBpeFixtures.BpeFile)]
    public void FromOpenAiFile_BuildsClipsVocabularyLayout()
    {
        var vocabulary = ClipBpeFixtures.Vocabulary;

        Assert.Equal(49408, vocabulary.Encoder.Count);
        Assert.Equal(ClipBpeVocabulary.OpenAiMergeCount, vocabulary.Merges.Count);
        Assert.Equal(49406, vocabulary.StartOfTextId);
        Assert.Equal(49407, vocabulary.EndOfTextId);
        Assert.Equal(0, vocabulary.Encoder["!"]);
        Assert.Equal(256, vocabulary.Encoder["!</w>"]);
        var (left, right) = vocabulary.Merges[0];
        Assert.Equal(512, vocabulary.Encoder[left + right]);
    }

    [FixtureFact(ClipBpeFixtures.BpeFile, ClipBpeFixtures.CasesFile)]
    public void HuggingFacePair_ConvertedFromOpenAiFile_GivesIdenticalIds()
    {
        using var temp = new TempDirectory();
        var vocabPath = temp.Combine("vocab.json");
        var mergesPath = temp.Combine("merges.txt");
        ClipBpeFixtures.Vocabulary.WriteHuggingFaceFiles(vocabPath, mergesPath);

        var fromPair = new ClipBpeTokenizer(ClipBpeVocabulary.FromHuggingFaceFiles(vocabPath, mergesPath));

        Assert.Equal(ClipBpeFixtures.Vocabulary.Encoder.Count, fromPair.Vocabulary.Encoder.Count);
        Assert.StartsWith("#version", File.ReadLines(mergesPath).First(), StringComparison.Ordinal);
        foreach (var reference in ClipBpeFixtures.Cases)
        {
            Assert.Equal(reference.Ids, fromPair.Encode(reference.Text).Ids);
            Assert.Equal(ClipBpeFixtures.Tokenizer.Encode(reference.Text).Tokens, fromPair.Encode(reference.Text).Tokens);
        }
    }

    [Fact]
    public void FromOpenAiFile_GzipBomb_IsRefusedAtTheCapWithoutReadingItAll()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("bpe.txt.gz");
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
        {
            // 65 MiB of newlines (about 100 KB compressed); a bomb of gigabytes is refused at the same point.
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)'\n');
            for (var i = 0; i < 65; i++)
            {
                gzip.Write(chunk);
            }
        }

        var error = Assert.Throws<InvalidDataException>(() => ClipBpeVocabulary.FromOpenAiFile(path));

        Assert.Contains($"decompresses to more than {ClipBpeVocabulary.MaxOpenAiFileBytes} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromOpenAiFile_NotGzip_ThrowsNamingTheFile()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("bpe.txt.gz");
        File.WriteAllText(path, "not gzip");

        var error = Assert.Throws<InvalidDataException>(() => ClipBpeVocabulary.FromOpenAiFile(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromOpenAiFile_Missing_ThrowsNamingTheFile()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("absent.txt.gz");

        var error = Assert.Throws<InvalidDataException>(() => ClipBpeVocabulary.FromOpenAiFile(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromHuggingFaceFiles_MalformedMergeLine_ThrowsNamingTheLine()
    {
        using var temp = new TempDirectory();
        var vocabPath = temp.Combine("vocab.json");
        var mergesPath = temp.Combine("merges.txt");
        File.WriteAllText(vocabPath, """{"a": 0, "b</w>": 1, "<|startoftext|>": 2, "<|endoftext|>": 3}""");
        File.WriteAllText(mergesPath, "#version: 0.2\na b</w>\nthree parts here\n");

        var error = Assert.Throws<InvalidDataException>(() => ClipBpeVocabulary.FromHuggingFaceFiles(vocabPath, mergesPath));

        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromHuggingFaceFiles_VocabularyWithoutSpecialTokens_ThrowsNamingTheToken()
    {
        using var temp = new TempDirectory();
        var vocabPath = temp.Combine("vocab.json");
        var mergesPath = temp.Combine("merges.txt");
        File.WriteAllText(vocabPath, """{"a": 0}""");
        File.WriteAllText(mergesPath, "#version: 0.2\n");

        var error = Assert.Throws<InvalidDataException>(() => ClipBpeVocabulary.FromHuggingFaceFiles(vocabPath, mergesPath));

        Assert.Contains("<|startoftext|>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromHuggingFaceFiles_BadJson_ThrowsNamingTheFile()
    {
        using var temp = new TempDirectory();
        var vocabPath = temp.Combine("vocab.json");
        File.WriteAllText(vocabPath, "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => ClipBpeVocabulary.FromHuggingFaceFiles(vocabPath, temp.Combine("merges.txt")));

        Assert.Contains(vocabPath, error.Message, StringComparison.Ordinal);
    }
}
