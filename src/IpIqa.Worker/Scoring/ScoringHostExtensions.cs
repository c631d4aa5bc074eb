using IpIqa.Core.Calibration;
using IpIqa.Core.Jobs;
using IpIqa.Imaging;
using IpIqa.Inference;
using IpIqa.Inference.Bundles;
using IpIqa.Inference.Explain;
using IpIqa.Inference.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace IpIqa.Worker.Scoring;

/// <summary>Registers the model: the image preprocessor, the scoring engine (bundle, ONNX session, batcher) as Core's <see cref="IImageScorer"/> port.</summary>
public static class ScoringHostExtensions
{
    public static IHostApplicationBuilder AddIpIqaScoring(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddIpIqaImaging();
        builder.Services.AddIpIqaInference();
        builder.Services.TryAddSingleton<IImageScorer>(sp => sp.GetRequiredService<ScoringEngine>());
        builder.Services.TryAddSingleton<IImageExplainer>(sp => new EngineExplainer(sp.GetRequiredService<ScoringEngine>()));
        builder.Services.TryAddSingleton(sp => ScoreCalibration.Of(sp.GetRequiredService<ModelBundle>().Manifest));
        return builder;
    }
}
