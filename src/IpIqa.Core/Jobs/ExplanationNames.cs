using System.Security.Cryptography;
using System.Text;

namespace IpIqa.Core.Jobs;

/// <summary>
/// File name stems of explanations. A job id is the caller's text: it may hold '/', '..', control characters or
/// be 256 characters long. The stem keeps at most <see cref="MaxReadable"/> of its letters, digits, '.', '-' and '_'
/// (any other character becomes '_', leading dots are dropped), then '-' and 16 hex digits of the SHA-256 of the job id
/// and the model hash. So a stem is never a path, two job ids never share a stem by their readable part alone,
/// and the same job on the same model always gets the same one.
/// </summary>
public static class ExplanationNames
{
    public const int MaxReadable = 64;

    /// <summary><paramref name="name"/> with every character but an ASCII letter, digit, '.', '-' or '_' replaced by '_', leading dots dropped.</summary>
    public static string Sanitise(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stem = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            stem.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        return stem.ToString().TrimStart('.');
    }

    /// <summary>The stem of job <paramref name="jobId"/> scored by the model with <paramref name="modelHash"/>.</summary>
    public static string ForJob(string jobId, string modelHash)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        var readable = Sanitise(jobId);
        if (readable.Length > MaxReadable)
        {
            readable = readable[..MaxReadable];
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{jobId}\n{modelHash}")))[..16];
        return readable.Length == 0 ? hash : $"{readable}-{hash}";
    }
}
