using IpIqa.Core.Jobs;
using IpIqa.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Local;

/// <summary>
/// Refuses to start on a results file of another shape (for example an <c>ipiqa score</c> output at the
/// same path), with one line that names the key and the file, instead of failing every job at run time.
/// </summary>
public sealed class ResultsFileValidator(IOptions<TransportOptions> transport) : IValidateOptions<LocalOptions>, IValidateOptions<SinkOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return transport.Value.Kind == TransportKind.Local ? Check("IpIqa:Local:ResultsPath", options.ResultsPath) : ValidateOptionsResult.Success;
    }

    public ValidateOptionsResult Validate(string? name, SinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.File.Path) ? ValidateOptionsResult.Success : Check("IpIqa:Sinks:File:Path", options.File.Path);
    }

    private static ValidateOptionsResult Check(string key, string path)
    {
        string? problem;
        try
        {
            problem = JsonlResultSink.DescribeForeign(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"it cannot be read: {ex.Message}";
        }

        return problem is null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{key} '{Path.GetFullPath(path)}' is not a worker results file: {problem}. Choose another path or move the file away.");
    }
}
