namespace IpIqa.Worker.Local;

/// <summary>Path helpers of the local transport: containment and the real path of a trusted folder.</summary>
internal static class LocalPaths
{
    /// <summary>Whether <paramref name="full"/> is <paramref name="root"/> or lies below it (both full, normalised paths).</summary>
    public static bool IsUnderOrAt(string full, string root)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(root);
        if (string.Equals(Path.TrimEndingDirectorySeparator(full), trimmed, StringComparison.Ordinal))
        {
            return true;
        }

        var prefix = trimmed.EndsWith(Path.DirectorySeparatorChar) ? trimmed : trimmed + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// <paramref name="full"/> with every link resolved, component by component (realpath semantics), for a
    /// trusted path such as the configured root. A missing component ends the walk: the rest is kept as written.
    /// </summary>
    public static string RealPath(string full)
    {
        var root = Path.GetPathRoot(full) ?? "/";
        var pending = new Queue<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var current = root;
        for (var links = 0; pending.TryDequeue(out var part);)
        {
            var next = Path.Join(current, part);
            if (new FileInfo(next).LinkTarget is { } target && ++links <= LocalImageSource.MaxLinks)
            {
                var joined = Path.GetFullPath(target, current);
                var rest = pending.ToArray();
                var joinedRoot = Path.GetPathRoot(joined) ?? "/";
                pending = new Queue<string>([.. joined[joinedRoot.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries), .. rest]);
                current = joinedRoot;
                continue;
            }

            if (!Path.Exists(next))
            {
                return Path.Join([next, .. pending]);
            }

            current = next;
        }

        return current;
    }
}
