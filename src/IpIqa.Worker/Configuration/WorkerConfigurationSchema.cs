using System.Collections;
using System.Reflection;
using IpIqa.Azure.Blobs;
using IpIqa.Azure.ServiceBus;
using IpIqa.Azure.StorageQueues;
using IpIqa.Azure.Tables;
using IpIqa.Core.Batching;
using IpIqa.Inference;
using IpIqa.Worker.Health;
using IpIqa.Worker.Hosting;
using IpIqa.Worker.Http;
using IpIqa.Worker.Local;

namespace IpIqa.Worker.Configuration;

/// <summary>
/// Every configuration key under <c>IpIqa:</c> that the worker's Options classes bind: each section
/// with its Options type, walked by reflection the way the configuration binder walks them (public
/// settable or init properties, case-insensitive, nested records as sub-sections, collections and
/// dictionaries as leaves whose children are their items).
/// </summary>
public static class WorkerConfigurationSchema
{
    public static readonly IReadOnlyList<(string Section, Type Options)> Sections =
    [
        (ModelOptions.SectionName, typeof(ModelOptions)),
        (BatchingOptionsValidator.SectionName, typeof(DynamicBatcherOptions)),
        (PreprocessingOptions.SectionName, typeof(PreprocessingOptions)),
        (TransportOptions.SectionName, typeof(TransportOptions)),
        (LocalOptions.SectionName, typeof(LocalOptions)),
        (ServiceBusOptions.SectionName, typeof(ServiceBusOptions)),
        (StorageQueueOptions.SectionName, typeof(StorageQueueOptions)),
        (BlobOptions.SectionName, typeof(BlobOptions)),
        (SinkOptions.SectionName, typeof(SinkOptions)),
        (TableSinkOptions.SectionName, typeof(TableSinkOptions)),
        (ThresholdOptions.SectionName, typeof(ThresholdOptions)),
        (EventOptions.SectionName, typeof(EventOptions)),
        (HealthOptions.SectionName, typeof(HealthOptions)),
        (HttpApiOptions.SectionName, typeof(HttpApiOptions)),
    ];

    /// <summary>True when some Options class binds <paramref name="configurationKey"/> (an item of a bound collection included).</summary>
    public static bool Binds(string configurationKey)
    {
        ArgumentNullException.ThrowIfNull(configurationKey);
        return Sections.Any(s => configurationKey.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase)
                                 && Resolves(s.Options, configurationKey[(s.Section.Length + 1)..].Split(':')));
    }

    /// <summary>The type bound at <paramref name="configurationKey"/> (nullable unwrapped), or null when no Options class binds it.</summary>
    public static Type? TypeOf(string configurationKey)
    {
        ArgumentNullException.ThrowIfNull(configurationKey);
        foreach (var (section, options) in Sections.Where(s => configurationKey.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase)))
        {
            Type? type = options;
            foreach (var name in configurationKey[(section.Length + 1)..].Split(':'))
            {
                var property = type?.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                type = property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            }

            if (type is not null)
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>Every bound key, collections named once (for "did you mean" suggestions and docs checks).</summary>
    public static IEnumerable<string> Keys() =>
        Sections.SelectMany(s => KeysOf(s.Options).Select(k => $"{s.Section}:{k}"));

    private static IEnumerable<string> KeysOf(Type type)
    {
        foreach (var property in Settable(type))
        {
            var nested = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsSection(nested))
            {
                foreach (var key in KeysOf(nested))
                {
                    yield return $"{property.Name}:{key}";
                }
            }
            else
            {
                yield return property.Name;
            }
        }
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true });

    private static bool Resolves(Type type, ReadOnlySpan<string> path)
    {
        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || property.SetMethod is not { IsPublic: true })
        {
            return false;
        }

        if (path.Length == 1)
        {
            return true;
        }

        var nested = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return IsCollection(nested) || (IsSection(nested) && Resolves(nested, path[1..]));
    }

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    private static bool IsSection(Type type) => type.IsClass && type != typeof(string) && type != typeof(Uri) && !IsCollection(type);
}
