using System.Text;
using IpIqa.Core.Contracts;
using IpIqa.Rescoring;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary>
/// An image's key and prompt are chosen by whoever writes the gallery. A right-to-left override (U+202E) in a key used to
/// run on into the scores written after it in the same caption; each such text is now bidi-isolated (<c>&lt;bdi&gt;</c>),
/// so it reorders only itself.
/// </summary>
public sealed class ReportBidiTests
{
    private const string Key = "cat\u202Egnp.exe";
    private const string Prompt = "\u202Ea red cube";

    [Fact]
    public void A_rejected_images_key_and_prompt_are_isolated_from_its_scores()
    {
        var limits = new Thresholds(3, 3);
        var rejections = new ReportRejections(limits);
        rejections.Add(new RescoreRecord
        {
            Key = Key, Location = "/g/" + Key, Version = "v", ModelHash = "m", Prompt = Prompt, Status = RescoreRecord.StatusScored,
            Quality = 1.5, Alignment = 4, Verdict = "fail", FailedChecks = "quality",
        });
        var html = new StringBuilder();

        ReportSections.AppendRejected(html, rejections, 1, []);

        var text = html.ToString();
        Assert.Contains($"<b><bdi>{RescoreReport.E(Key)}</bdi></b>", text, StringComparison.Ordinal);
        Assert.Contains($"<i><bdi>{RescoreReport.E(Prompt)}</bdi></i>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_prompt_is_isolated_and_still_shortened_and_encoded()
    {
        var shown = ReportSections.Prompt("<b>" + new string('x', 500));

        Assert.StartsWith("<bdi>&lt;b&gt;", shown, StringComparison.Ordinal);
        Assert.EndsWith("…</bdi>", shown, StringComparison.Ordinal);
    }
}
