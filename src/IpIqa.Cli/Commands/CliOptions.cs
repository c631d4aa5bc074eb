using System.CommandLine;
using IpIqa.Inference;

namespace IpIqa.Cli.Commands;

/// <summary>Options shared by the commands that load a model.</summary>
internal static class CliOptions
{
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
