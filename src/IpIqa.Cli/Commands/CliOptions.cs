using System.CommandLine;
using IpIqa.Core.Contracts;
using IpIqa.Inference;

namespace IpIqa.Cli.Commands;

/// <summary>Options shared by the commands that load a model.</summary>
internal static class CliOptions
{
    /// <summary>The upper bound of <see cref="ModelOptions.MaxPromptBytes"/>'s <c>[Range]</c>.</summary>
    private const int MaxPromptBytesLimit = 1_000_000;

    public static Option<string> Model() => new("--model", "-m")
    {
        Description = "Model bundle folder (holding bundle.json).",
        Required = true,
    };

    public static Option<int> BatchSize(int defaultValue = 16) => new("--batch-size", "-b")
    {
        Description = "Largest batch run through the model.",
        DefaultValueFactory = _ => defaultValue,
    };

    public static Option<int> Threads() => new("--threads", "-t")
    {
        Description = "ONNX Runtime intra-op threads (0: its default).",
        DefaultValueFactory = _ => 0,
    };

    public static Option<ExecutionProvider> Provider() => new("--provider")
    {
        Description = "Execution provider: Auto, Cpu or Cuda.",
        DefaultValueFactory = _ => ExecutionProvider.Auto,
    };

    /// <summary><c>--fail-on-verdict</c>: rejected inputs (a failing verdict) make the exit code 1, like inputs that could not be scored.</summary>
    public static Option<bool> FailOnVerdict() => new("--fail-on-verdict")
    {
        Description = "Exit with 1 when any input is rejected by a threshold, not only when an input could not be scored.",
    };

    /// <summary>The prompt limit, as the worker's <c>IpIqa:Model:MaxPromptBytes</c>; checked by <see cref="CheckMaxPromptBytes"/>.</summary>
    public static Option<int> MaxPromptBytes() => new("--max-prompt-bytes")
    {
        Description = "Longest prompt scored, in UTF-8 bytes; a longer one is prompt_invalid (the worker's IpIqa:Model:MaxPromptBytes).",
        DefaultValueFactory = _ => RequestLimits.DefaultMaxPromptBytes,
    };

    /// <summary>
    /// An option holding an absolute http(s) URI. System.CommandLine has no converter for
    /// <see cref="Uri"/>, so without this parser any value would fail at binding with an exception.
    /// </summary>
    public static Option<Uri?> AbsoluteUri(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Uri.TryCreate(token, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
            {
                return uri;
            }

            result.AddError($"{name} '{token}' is not an absolute http(s) URI.");
            return null;
        },
    };

    /// <summary>Checks <c>--max-prompt-bytes</c> against <see cref="ModelOptions.MaxPromptBytes"/>'s range, writing what is wrong to stderr.</summary>
    public static bool CheckMaxPromptBytes(int maxPromptBytes)
    {
        if (maxPromptBytes is < 1 or > MaxPromptBytesLimit)
        {
            Console.Error.WriteLine($"error: --max-prompt-bytes {maxPromptBytes} must be between 1 and {MaxPromptBytesLimit}.");
            return false;
        }

        return true;
    }

    /// <summary>Checks the numeric options, writing what is wrong to stderr; true when all are in range.</summary>
    public static bool CheckRanges(int batchSize, int threads)
    {
        if (batchSize is < 1 or > 1024)
        {
            Console.Error.WriteLine($"error: --batch-size {batchSize} must be between 1 and 1024.");
            return false;
        }

        if (threads is < 0 or > 1024)
        {
            Console.Error.WriteLine($"error: --threads {threads} must be between 0 and 1024.");
            return false;
        }

        return true;
    }
}
