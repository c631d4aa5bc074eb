using System.Reflection;
using IpIqa.Azure.Blobs;
using IpIqa.Azure.ServiceBus;
using IpIqa.Azure.StorageQueues;
using IpIqa.Azure.Tables;
using IpIqa.Core.Batching;
using IpIqa.Inference;
using IpIqa.Worker.Health;
using IpIqa.Worker.Hosting;
using IpIqa.Worker.Local;

namespace IpIqa.Worker.Tests.Deployment;

/// <summary>
/// The configuration keys the worker's Options classes bind: each section name with its Options
/// type, walked by reflection the way the configuration binder walks them (public settable or
/// init properties, case-insensitive, nested records as sub-sections, collections as leaves).
/// </summary>
internal static class WorkerOptionsSchema
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
    ];

    /// <summary>True when some Options class binds <paramref name="configurationKey"/>.</summary>
    public static bool Binds(string configurationKey) =>
        Sections.Any(s => configurationKey.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase)
                          && Resolves(s.Options, configurationKey[(s.Section.Length + 1)..].Split(':')));

    private static bool Resolves(Type type, ReadOnlySpan<string> path)
    {
        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || property.SetMethod is null || !property.SetMethod.IsPublic)
        {
            return false;
        }

        if (path.Length == 1)
        {
            return true;
        }

        var nested = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return IsSection(nested) && Resolves(nested, path[1..]);
    }

    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(Uri) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type);
}
