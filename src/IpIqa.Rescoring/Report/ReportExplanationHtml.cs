using System.Globalization;
using System.Text;

namespace IpIqa.Rescoring;

/// <summary>
/// An explained rejected image in the report (#15): where the model looked for the prompt (the attention overlay,
/// inline) and the words the image does not support, each with how much the prompt's alignment rises without it;
/// or why there is no picture or no words. Words and messages are HTML-escaped.
/// </summary>
internal static class ReportExplanationHtml
{
    public static void Append(StringBuilder html, ReportExplanation explained)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(explained);
        html.Append("<div class=\"explanation\" data-key=\"").Append(RescoreReport.E(explained.Key)).Append("\">");
        if (explained.OverlayJpegBase64 is { } jpeg)
        {
            html.Append("<img class=\"overlay\" alt=\"where the model looked: ").Append(RescoreReport.E(explained.Key))
                .Append("\" src=\"data:image/jpeg;base64,").Append(jpeg).Append("\">");
        }

        if (explained.Error is { } error)
        {
            html.Append("<span class=\"explain-error\">not explained: <code>").Append(RescoreReport.E(error.Code)).Append("</code> ").Append(RescoreReport.E(error.Message)).Append("</span>");
        }
        else if (explained.Explanation?.Words is { } words)
        {
            var unsupported = words.Where(w => w.Unsupported).ToArray();
            html.Append("<span class=\"words\">");
            if (unsupported.Length == 0)
            {
                html.Append("every word supported");
            }
            else
            {
                html.Append("not supported by the image:");
                foreach (var word in unsupported)
                {
                    html.Append(" <b class=\"unsupported-word\" title=\"alignment without it: ")
                        .Append((word.AlignmentWithout ?? double.NaN).ToString("F4", CultureInfo.InvariantCulture)).Append("\">")
                        .Append(RescoreReport.E(word.Word)).Append("</b> (+").Append((-word.Change!.Value).ToString("F4", CultureInfo.InvariantCulture)).Append(')');
                }
            }

            html.Append("</span>");
        }
        else if (explained.Explanation?.Error is { } refused)
        {
            html.Append("<span class=\"explain-error\">no words: <code>").Append(RescoreReport.E(refused.Code)).Append("</code> ").Append(RescoreReport.E(refused.Message)).Append("</span>");
        }

        html.Append("</div>");
    }
}
