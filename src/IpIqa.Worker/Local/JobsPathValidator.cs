using IpIqa.Core.Jobs;
using IpIqa.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Local;

/// <summary>
/// Refuses to start a drain (<c>--drain</c>) on a jobs path that is neither a file nor a folder, with one line that
/// names the key and the path (exit code 2), instead of a failed first read that stopped the worker (exit code 3).
/// </summary>
public sealed class JobsPathValidator(IOptions<TransportOptions> transport) : IValidateOptions<LocalOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return transport.Value.Kind != TransportKind.Local || !options.Drain || string.IsNullOrWhiteSpace(options.JobsPath)
               || File.Exists(options.JobsPath) || Directory.Exists(options.JobsPath)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"IpIqa:Local:JobsPath '{Path.GetFullPath(options.JobsPath)}' is neither a JSONL file nor a folder. "
                + "Create it, or set the key to your jobs (relative paths resolve against the working directory).");
    }
}
