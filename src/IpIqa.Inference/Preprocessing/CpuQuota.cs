using System.Globalization;

namespace IpIqa.Inference.Preprocessing;

/// <summary>
/// The container's CPU quota in cores, read from the cgroup files: v2 <c>cpu.max</c> ("QUOTA PERIOD",
/// or "max PERIOD" for none), v1 <c>cpu.cfs_quota_us</c> over <c>cpu.cfs_period_us</c> (-1 for none).
/// It checks the process's own cgroup (from <c>/proc/self/cgroup</c>) and each parent up to the root
/// of the mount, and keeps the smallest quota, as the kernel enforces every level. The file reader is
/// injected so tests can describe any container.
/// </summary>
public sealed class CpuQuota(Func<string, string?> readFile)
{
    private const string Root = "/sys/fs/cgroup";

    /// <summary>Reads this machine's cgroup files; a missing or unreadable file reads as none.</summary>
    public static CpuQuota System { get; } = new(ReadOrNull);

    /// <summary>The quota in cores (1.5 for "150000 100000"), or null when no level sets one.</summary>
    public double? Cores()
    {
        double? smallest = null;
        foreach (var (folder, version) in Folders())
        {
            var cores = version == 2 ? ReadV2(folder) : ReadV1(folder);
            if (cores is { } c && (smallest is null || c < smallest))
            {
                smallest = c;
            }
        }

        return smallest;
    }

    private IEnumerable<(string Folder, int Version)> Folders()
    {
        foreach (var line in (readFile("/proc/self/cgroup") ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "0::/kubepods/pod1/c1" (v2) or "4:cpu,cpuacct:/docker/abc" (v1)
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            if (parts[0] == "0" && parts[1].Length == 0)
            {
                foreach (var folder in SelfAndParents(Root, parts[2]))
                {
                    yield return (folder, 2);
                }
            }
            else if (parts[1].Split(',').Contains("cpu"))
            {
                foreach (var mount in new[] { $"{Root}/cpu,cpuacct", $"{Root}/cpu" })
                {
                    foreach (var folder in SelfAndParents(mount, parts[2]))
                    {
                        yield return (folder, 1);
                    }
                }
            }
        }

        // A private cgroup namespace shows the container's own cgroup as the mount's root.
        yield return (Root, 2);
    }

    private static IEnumerable<string> SelfAndParents(string mount, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var depth = segments.Length; depth > 0; depth--)
        {
            yield return mount + "/" + string.Join('/', segments.Take(depth));
        }

        yield return mount;
    }

    private double? ReadV2(string folder)
    {
        var fields = readFile(folder + "/cpu.max")?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return fields is { Length: 2 } ? Ratio(fields[0], fields[1]) : null;
    }

    private double? ReadV1(string folder) => Ratio(readFile(folder + "/cpu.cfs_quota_us")?.Trim(), readFile(folder + "/cpu.cfs_period_us")?.Trim());

    private static double? Ratio(string? quota, string? period) =>
        long.TryParse(quota, NumberStyles.Integer, CultureInfo.InvariantCulture, out var q) && q > 0
        && long.TryParse(period, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p > 0
            ? (double)q / p
            : null;

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
