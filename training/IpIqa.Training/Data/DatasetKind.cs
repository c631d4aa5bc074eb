namespace IpIqa.Training.Data;

/// <summary>The table layouts <see cref="IqaDataset.Load"/> reads.</summary>
public enum DatasetKind
{
    /// <summary>AGIQA-3k <c>data.csv</c>: name, prompt, adj1, adj2, style, mos_quality, std_quality, mos_align, std_align.</summary>
    Agiqa3k,

    /// <summary>AGIQA-1k <c>AIGC_MOS_Zscore.xlsx</c>: Image, Prompt, MOS (quality only).</summary>
    Agiqa1k,

    /// <summary>A plain CSV <c>image,prompt,quality[,alignment]</c>, with or without that header.</summary>
    PlainCsv,
}
