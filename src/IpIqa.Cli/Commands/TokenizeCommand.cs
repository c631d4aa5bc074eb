using System.CommandLine;
using IpIqa.Core.Errors;
using IpIqa.Core.Tokenization;
using Spectre.Console;

namespace IpIqa.Cli.Commands;

/// <summary>
/// <c>ipiqa tokenize --model BUNDLE_DIR (TEXT | --input FILE.jsonl [--out FILE])</c>: shows how a
/// bundle's tokenizer encodes one prompt, or writes one JSON line per prompt of a JSONL file.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "The model bundle folder (it holds bundle.json).", Required = true };
        var input = new Option<FileInfo?>("--input", "-i") { Description = "A JSONL file with one {\"text\": ...} object per line." };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Where --input results go (default: standard output)." };
        var text = new Argument<string?>("text") { Description = "The prompt to tokenize.", Arity = ArgumentArity.ZeroOrOne };

        var command = new Command("tokenize", "Tokenize prompts with a bundle's CLIP BPE tokenizer.") { model, input, output, text };
        command.Validators.Add(result =>
        {
            var hasText = result.GetValue(text) is not null;
            var hasInput = result.GetValue(input) is not null;
            if (hasText == hasInput)
            {
                result.AddError("Give either a TEXT argument or --input FILE.jsonl, not both and not neither.");
            }
            else if (hasText && result.GetValue(output) is not null)
            {
                result.AddError("--out goes with --input; a single TEXT is printed as a table.");
            }
        });

        command.SetAction((parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            ClipBpeTokenizer tokenizer;
            try
            {
                tokenizer = BundleTokenizerLoader.LoadFromFolder(parseResult.GetRequiredValue(model).FullName);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: {ex.Message}");
                return Task.FromResult(ExitCodes.Usage);
            }

            var inputFile = parseResult.GetValue(input);
            if (inputFile is null)
            {
                PrintTable(tokenizer, parseResult.GetValue(text) ?? string.Empty, stdout);
                return Task.FromResult(0);
            }

            return TokenizeJsonLines.RunAsync(tokenizer, inputFile, parseResult.GetValue(output), stdout, stderr, cancellationToken);
        });
        return command;
    }

    private static void PrintTable(ClipBpeTokenizer tokenizer, string text, TextWriter writer)
    {
        var prompt = tokenizer.Encode(text);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });

        var table = new Table().AddColumn("#").AddColumn("id").AddColumn("token");
        for (var position = 0; position < prompt.Tokens.Count; position++)
        {
            table.AddRow(position.ToString(System.Globalization.CultureInfo.InvariantCulture), prompt.Ids[position].ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(prompt.Tokens[position]));
        }

        console.Write(table);
        var needed = tokenizer.EncodeUnpadded(text).Count + 2;
        writer.WriteLine(prompt.Truncated
            ? $"Truncated: yes. The prompt needs {needed} tokens; the context holds {tokenizer.ContextLength}, so the first {tokenizer.ContextLength - 1} are kept and the last is the end token."
            : $"Truncated: no. {prompt.Tokens.Count} of {tokenizer.ContextLength} positions used; the rest are padding (id 0).");
    }
}
