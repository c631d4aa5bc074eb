namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>A fact that is skipped, saying why, where headless Chromium is not installed.</summary>
internal sealed class RequiresChromiumFactAttribute : FactAttribute
{
    public RequiresChromiumFactAttribute()
    {
        if (Chromium.Executable is null)
        {
            Skip = "Chromium is not installed (Debian package 'chromium', listed in .ci/apt-packages.txt; or set IPIQA_CHROMIUM).";
        }
    }
}
