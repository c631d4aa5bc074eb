using System.Diagnostics;

namespace IpIqa.TestSupport;

/// <summary>Files that are not regular files, for tests of what a hostile folder may hold.</summary>
public static class SpecialFiles
{
    /// <summary>Makes a named pipe at <paramref name="path"/>: opening it for reading blocks until a writer comes.</summary>
    public static void CreateFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0)
        {
            throw new InvalidOperationException($"mkfifo {path} failed with exit code {mkfifo.ExitCode}.");
        }
    }
}
