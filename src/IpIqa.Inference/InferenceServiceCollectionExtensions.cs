using System.Diagnostics.Metrics;
using IpIqa.Core.Batching;
using IpIqa.Core.Bundles;
using IpIqa.Core.Tokenization;
using IpIqa.Imaging;
using IpIqa.Inference.Bundles;
using IpIqa.Inference.Caching;
using IpIqa.Inference.Onnx;
using IpIqa.Inference.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IpIqa.Inference;

/// <summary>Registers the scoring engine and what it runs on.</summary>
public static class InferenceServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ScoringEngine"/> with its model session, text-feature cache and metrics. Options
    /// bind from <c>IpIqa:Model</c>, <c>IpIqa:Batching</c> and <c>IpIqa:Preprocessing</c> and are
    /// validated at start; the <c>IpIqa:Preprocessing</c> limits also configure <see cref="ImagingOptions"/>.
    /// The prompt tokenizer is built from the bundle's tokenizer files unless the host registered one;
    /// the host registers the <see cref="Core.Imaging.IImagePreprocessor"/> (<c>AddIpIqaImaging</c>).
    /// </summary>
    public static IServiceCollection AddIpIqaInference(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddIpIqaInferenceOptions();
        services.AddOptions<ModelOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DynamicBatcherOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PreprocessingOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelOptions>, ModelOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DynamicBatcherOptions>, BatchingOptionsValidator>());
        services.AddOptions<ImagingOptions>().Configure<IOptions<PreprocessingOptions>>((imaging, preprocessing) => imaging.Limits = preprocessing.Value.ToImageLimits());

        services.TryAddSingleton(sp => new InferenceMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<DeviceHealth>(sp => new DeviceHealth(sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => ModelBundleLoader.Load(sp.GetRequiredService<IOptions<ModelOptions>>().Value.BundlePath));
        services.TryAddSingleton<IPromptTokenizer>(sp =>
        {
            var bundle = sp.GetRequiredService<ModelBundle>();
            return BundleTokenizerLoader.Load(bundle.Manifest, bundle.Folder);
        });
        services.TryAddSingleton<ModelIdentity>(sp => sp.GetRequiredService<ModelBundle>().Identity);
        services.TryAddSingleton<IModelSession>(sp => new OnnxModelSession(
            sp.GetRequiredService<ModelBundle>(),
            sp.GetRequiredService<IOptions<ModelOptions>>().Value,
            sp.GetRequiredService<IOptions<DynamicBatcherOptions>>().Value.MaxBatchSize,
            sp.GetRequiredService<ILogger<OnnxModelSession>>()));
        services.TryAddSingleton(sp => new TextFeatureCache(
            sp.GetRequiredService<IOptions<ModelOptions>>().Value.TextCacheCapacity,
            sp.GetRequiredService<InferenceMetrics>()));
        services.TryAddSingleton(sp => new ScoringEngineOptions
        {
            Batching = sp.GetRequiredService<IOptions<DynamicBatcherOptions>>().Value,
            Preprocessing = sp.GetRequiredService<IOptions<PreprocessingOptions>>().Value,
            MaxPromptBytes = sp.GetRequiredService<IOptions<ModelOptions>>().Value.MaxPromptBytes,
        });
        services.TryAddSingleton<ScoringEngine>();
        return services;
    }

    /// <summary>
    /// Binds the <c>IpIqa:Model</c>, <c>IpIqa:Batching</c> and <c>IpIqa:Preprocessing</c> options once, however many
    /// registrations ask: the worker reads the prompt and image limits even where a test registers another scorer.
    /// <see cref="AddIpIqaInference"/> validates them, with the model they describe.
    /// </summary>
    public static IServiceCollection AddIpIqaInferenceOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(InferenceOptionsMarker)))
        {
            return services;
        }

        services.AddSingleton<InferenceOptionsMarker>();
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.SectionName);
        services.AddOptions<DynamicBatcherOptions>().BindConfiguration(BatchingOptionsValidator.SectionName);
        services.AddOptions<PreprocessingOptions>().BindConfiguration(PreprocessingOptions.SectionName);
        return services;
    }

    /// <summary>Marks that <see cref="AddIpIqaInferenceOptions"/> ran.</summary>
    private sealed class InferenceOptionsMarker;
}
