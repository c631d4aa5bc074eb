using IpIqa.Core.Tokenization;

namespace IpIqa.Inference.Bundles;

/// <summary>Builds the CLIP BPE tokenizer from the files a bundle names.</summary>
public static class BundleTokenizerFactory
{
    public static IPromptTokenizer Create(ModelBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var tokenizer = bundle.Manifest.Tokenizer;
        var vocabulary = tokenizer.Bpe is { } bpe
            ? ClipBpeVocabulary.FromOpenAiFile(Path.Combine(bundle.Folder, bpe))
            : ClipBpeVocabulary.FromHuggingFaceFiles(Path.Combine(bundle.Folder, tokenizer.Vocab!), Path.Combine(bundle.Folder, tokenizer.Merges!));
        return new ClipBpeTokenizer(vocabulary, tokenizer.ContextLength);
    }
}
