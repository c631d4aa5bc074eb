namespace IpIqa.Rescoring;

/// <summary>The report's inline stylesheet and its small script (no libraries, no network).</summary>
internal static class ReportAssets
{
    public const string Css = """
        body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fff}
        .charts{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}
        .chart{width:460px;height:260px;border:1px solid #ddd}
        table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
        .worst{display:flex;flex-wrap:wrap;gap:12px}.thumb{width:180px;font-size:12px}.thumb img{max-width:160px;max-height:160px;display:block}.thumb figcaption{font-weight:400}
        .note{color:#666;font-size:12px}
        .badge{display:inline-block;border-radius:3px;padding:1px 6px;color:#fff;font-size:11px;background:#c00}.badge.alignment{background:#b85c00}.badge.both{background:#700}
        #verdicts table td:nth-child(2){font-weight:600}
        .explanation img.overlay{max-width:160px;max-height:160px;display:block;margin-top:4px}.unsupported-word{color:#c00}.explain-error{color:#666}
        """;

    /// <summary>Marks each explanation overlay with its decoded size, then the body <c>data-rendered="true"</c>; the charts are static SVG (<see cref="ReportCharts"/>).</summary>
    public const string Script = """
        (function(){
          var ov=document.querySelectorAll('img.overlay');for(var i=0;i<ov.length;i++){(function(img){img.decode().then(function(){img.setAttribute('data-decoded',img.naturalWidth+'x'+img.naturalHeight);},function(){img.setAttribute('data-decoded','failed');});})(ov[i]);}
          document.body.setAttribute('data-rendered','true');
        })();
        """;
}
