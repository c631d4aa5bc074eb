using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IpIqa.Worker.Configuration;

/// <summary>
/// Stops the start on a key under <c>IpIqa:</c> that no Options class binds (a typo would otherwise be
/// ignored silently and the default used), naming the nearest known key:
/// <c>IpIqa:Model:BundelPath</c> → "did you mean IpIqa:Model:BundlePath?". A key under <c>HostOptions:</c>
/// (<c>HostOptions__ShutdownTimeout</c> in the environment) stops it too: the host binds none of them, and
/// the shutdown timeout it was meant to set is <c>shutdownTimeoutSeconds</c> (#20).
/// </summary>
public static class UnknownKeyCheck
{
    public const string Root = "IpIqa";

    /// <summary>The section the .NET host is often assumed to bind; the worker's host reads none of it.</summary>
    public const string HostOptionsRoot = "HostOptions";

    /// <summary>
    /// One message per <c>HostOptions:</c> key and per unknown <c>IpIqa:</c> key set in
    /// <paramref name="configuration"/> (empty when there are none).
    /// </summary>
    public static IReadOnlyList<string> Find(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var unbound = configuration.GetSection(HostOptionsRoot).AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => pair.Key)
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(key => $"{key} is not read by the host; set the shutdown timeout with shutdownTimeoutSeconds "
                + "(environment DOTNET_shutdownTimeoutSeconds, whole seconds) instead (docs/configuration.md, Shutdown timeout).")
            .ToArray();
        return [.. unbound, .. FindUnderRoot(configuration)];
    }

    private static IReadOnlyList<string> FindUnderRoot(IConfiguration configuration)
    {
        var unknown = configuration.GetSection(Root).AsEnumerable()
            .Where(pair => pair.Value is not null && !WorkerConfigurationSchema.Binds(pair.Key))
            .Select(pair => pair.Key)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToArray();
        if (unknown.Length == 0)
        {
            return [];
        }

        // Only a start that fails pays for listing every key.
        var known = WorkerConfigurationSchema.Keys().ToArray();
        return [.. unknown
            .Select(key => Nearest(key, known) is { } near
                ? $"{key} is not a configuration key; did you mean {near}?"
                : $"{key} is not a configuration key (docs/configuration.md lists them).")];
    }

    /// <summary>Throws an <see cref="OptionsValidationException"/> (the start fails, exit code 2) listing every unknown key.</summary>
    public static void ThrowIfAny(IConfiguration configuration)
    {
        var failures = Find(configuration);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Root, typeof(IConfiguration), failures);
        }
    }

    internal static string? Nearest(string key, IReadOnlyList<string> known)
    {
        // Collection items (IpIqa:Blob:AllowedAccounts:0) compare by the collection's own key.
        var upper = key.ToUpperInvariant();
        var (best, distance) = known.Select(k => (Key: k, Distance: Distance(upper, k.ToUpperInvariant()))).MinBy(c => c.Distance);
        return best is not null && distance <= Math.Max(3, key.Length / 4) ? best : null;
    }

    /// <summary>Levenshtein distance (the BCL has none; two rows, O(|a|·|b|) on a few dozen short keys at start).</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
