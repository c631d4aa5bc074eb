using System.Text;
using System.Text.Json;
using IpIqa.Core.Errors;
using IpIqa.Core.Tokenization;

namespace IpIqa.Cli.Commands;

/// <summary>The <c>--input</c> mode of <c>ipiqa tokenize</c>: one <see cref="TokenizeOutputLine"/> per input line (<c>{"text"}</c> or a manifest's <c>{"image", "prompt"}</c>).</summary>
internal static class TokenizeJsonLines
{
    /// <summary>Tokenizes every line of <paramref name="input"/>; a bad line is reported with its number and skipped. Returns 0, 1 when any line was bad, or 2 (<see cref="ExitCodes.Usage"/>) when the input or output cannot be used.</summary>
    public static async Task<int> RunAsync(ClipBpeTokenizer tokenizer, FileInfo input, FileInfo? output, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!input.Exists)
        {
            await stderr.WriteLineAsync($"error: input file '{input.FullName}' does not exist.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        StreamWriter? file = null;
        try
        {
            if (output is not null)
            {
                file = new StreamWriter(output.FullName, append: false, new UTF8Encoding(false));
            }

            return await WriteAllAsync(tokenizer, input, file ?? stdout, stderr, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> WriteAllAsync(ClipBpeTokenizer tokenizer, FileInfo input, TextWriter writer, TextWriter stderr, CancellationToken cancellationToken)
    {
        var lineNumber = 0;
        var written = 0;
        var bad = 0;
        using var reader = new StreamReader(input.FullName, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (!TryReadText(line, out var text, out var problem))
            {
                bad++;
                await stderr.WriteLineAsync($"{input.Name}:{lineNumber}: {problem}").ConfigureAwait(false);
                continue;
            }

            var prompt = tokenizer.Encode(text);
            var result = new TokenizeOutputLine(text, prompt.Ids, prompt.Tokens, prompt.Truncated);
            await writer.WriteLineAsync(JsonSerializer.Serialize(result, CliJsonContext.Readable.TokenizeOutputLine)).ConfigureAwait(false);
            written++;
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        await stderr.WriteLineAsync($"{written} prompts tokenized, {bad} bad lines.").ConfigureAwait(false);
        return bad == 0 ? 0 : 1;
    }

    private static bool TryReadText(string line, out string text, out string problem)
    {
        text = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = $"expected a JSON object with a \"text\" or \"prompt\" string, found a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.";
                return false;
            }

            // "text" for prompt lists, "prompt" for the scoring manifests ({"image", "prompt"}), so a manifest tokenizes as it is.
            if (!(document.RootElement.TryGetProperty("text", out var value) || document.RootElement.TryGetProperty("prompt", out value))
                || value.ValueKind != JsonValueKind.String)
            {
                problem = "the object has no \"text\" or \"prompt\" string.";
                return false;
            }

            text = value.GetString()!;
            problem = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string with an unpaired surrogate escape ("\ud800") is not text.
            problem = $"not valid JSON text: {ex.Message}";
            return false;
        }
    }
}
