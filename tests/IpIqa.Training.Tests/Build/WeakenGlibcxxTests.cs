using System.Runtime.InteropServices;

namespace IpIqa.Training.Tests.Build;

/// <summary>
/// build/WeakenGlibcxx.targets patches the copy of libLibTorchSharp.so in each output folder so it
/// loads on Debian 12's libstdc++. The patch must change one flag and nothing else, so that on a
/// libstdc++ that has GLIBCXX_3.4.32 the library is the package's own in every respect that binds.
/// </summary>
public sealed class WeakenGlibcxxTests
{
    private const string Library = "libLibTorchSharp.so";

    [Fact]
    public void TheOutputCopyDiffersFromThePackageOnlyInOneWeakVersionFlag()
    {
        Assert.True(OperatingSystem.IsLinux(), "the patch and this check are for Linux builds");
        var original = File.ReadAllBytes(PackageCopy());
        var patched = File.ReadAllBytes(OutputCopy());

        Assert.Equal(original.Length, patched.Length);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        var at = Assert.Single(changed);
        // The low byte of a Vernaux vna_flags: the same flags with VER_FLG_WEAK (0x2) added.
        Assert.Equal(original[at] | 0x2, patched[at]);
        Assert.Equal(0, original[at] & 0x2);
        // The version name the flag belongs to is still in the string table, unchanged.
        Assert.Contains("GLIBCXX_3.4.32", System.Text.Encoding.ASCII.GetString(patched), StringComparison.Ordinal);
    }

    [Fact]
    public void ThePatchedLibraryLoads()
    {
        Assert.True(NativeLibrary.TryLoad(OutputCopy(), out var handle), "the patched libLibTorchSharp.so does not load on this machine's libstdc++");
        NativeLibrary.Free(handle);
    }

    private static string OutputCopy() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, Library, SearchOption.AllDirectories).FirstOrDefault()
        ?? throw new FileNotFoundException($"{Library} is not in the test output {AppContext.BaseDirectory}");

    private static string PackageCopy()
    {
        var version = typeof(TorchSharp.torch).Assembly.GetName().Version!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(packages, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes", "linux-x64", "native", Library);
        return File.Exists(path) ? path : throw new FileNotFoundException($"the TorchSharp package's {Library} is not at {path}");
    }
}
