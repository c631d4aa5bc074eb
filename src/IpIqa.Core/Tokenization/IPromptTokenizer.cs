namespace IpIqa.Core.Tokenization;

/// <summary>Turns a prompt into the fixed-length token ids the text graph takes.</summary>
public interface IPromptTokenizer
{
    /// <summary>Number of ids per prompt (77 for CLIP).</summary>
    int ContextLength { get; }

    /// <summary>
    /// Encodes <paramref name="text"/>: start token, BPE ids, end token, zero padding to
    /// <see cref="ContextLength"/>. A prompt that does not fit keeps its first
    /// <c>ContextLength - 1</c> tokens and ends with the end token.
    /// </summary>
    TokenizedPrompt Encode(string text);
}
