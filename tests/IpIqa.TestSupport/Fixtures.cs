namespace IpIqa.TestSupport;

/// <summary>
/// Locates the reference fixtures. <c>IPIQA_FIXTURES</c> overrides the default, which is the
/// repository's own copy, <c>tests/fixtures</c>, so a clone runs every parity test.
/// </summary>
public static class Fixtures
{
    public const string EnvironmentVariable = "IPIQA_FIXTURES";

    private static readonly Lazy<string> LazyRoot = new(() => ResolveRoot(Environment.GetEnvironmentVariable(EnvironmentVariable)));

    /// <summary>The fixture folder (it may not exist).</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The repository root: the folder that holds IpIqa.Worker.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The folder used when <c>IPIQA_FIXTURES</c> is unset: <c>tests/fixtures</c> in the repository.</summary>
    public static string DefaultRoot => Path.Combine(RepositoryRoot, "tests", "fixtures");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Null when every file exists, else a skip message naming what is absent.</summary>
    public static string? MissingReason(params string[] relativePaths)
    {
        var missing = relativePaths.Where(p => !File.Exists(PathOf(p)) && !Directory.Exists(PathOf(p))).ToArray();
        return missing.Length == 0
            ? null
            : $"Fixture absent: {string.Join(", ", missing)} not found under '{Root}'. Set {EnvironmentVariable} to the fixtures folder.";
    }

    /// <summary>Reads a raw little-endian float32 file.</summary>
    public static float[] ReadF32(params string[] parts)
    {
        var bytes = File.ReadAllBytes(PathOf(parts));
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * sizeof(float));
        return values;
    }

    /// <summary>The fixture folder for a value of <c>IPIQA_FIXTURES</c>: that path when set, else <see cref="DefaultRoot"/>.</summary>
    public static string ResolveRoot(string? environmentValue) =>
        string.IsNullOrWhiteSpace(environmentValue) ? DefaultRoot : Path.GetFullPath(environmentValue);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IpIqa.Worker.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
