using System.Text.Json;
using Avro;
using Avro.File;
using Avro.Generic;
using Azure.Storage.Blobs;

namespace IpIqa.Azure.Tests.Rescoring;

/// <summary>
/// Writes a synthetic blob change feed with the service's layout: <c>meta/segments.json</c>,
/// <c>idx/segments/YYYY/MM/DD/hhmm/meta.json</c> naming shard folders, and Avro chunk files of
/// events (<c>log/NN/YYYY/MM/DD/hhmm/00000.avro</c>) with the event schema's fields.
/// </summary>
internal static class ChangeFeedFiles
{
    private static readonly RecordSchema EventSchema = (RecordSchema)Schema.Parse("""
        {"type":"record","name":"BlobChangeEvent","namespace":"com.microsoft.azure.storage.blobchangefeed","fields":[
          {"name":"schemaVersion","type":"int"},
          {"name":"topic","type":"string"},
          {"name":"subject","type":"string"},
          {"name":"eventType","type":"string"},
          {"name":"eventTime","type":"string"},
          {"name":"id","type":"string"},
          {"name":"data","type":{"type":"record","name":"BlobChangeEventData","fields":[
            {"name":"api","type":"string"},
            {"name":"etag","type":"string"},
            {"name":"contentLength","type":"long"},
            {"name":"blobType","type":"string"},
            {"name":"url","type":"string"}]}}]}
        """);

    /// <summary>An event: its type, the blob's container and name, and the ETag it wrote.</summary>
    public sealed record Change(string EventType, string Container, string Blob, string Etag);

    public static async Task WriteSegmentsJson(BlobContainerClient feed, DateTimeOffset lastConsumable)
    {
        await feed.CreateIfNotExistsAsync();
        await feed.GetBlobClient("meta/segments.json").UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(new { version = 0, lastConsumable = lastConsumable.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture) })), overwrite: true);
    }

    /// <summary>A finalized hourly segment beginning at <paramref name="begin"/>, one shard per list of changes, each in one chunk.</summary>
    public static async Task WriteSegment(BlobContainerClient feed, DateTimeOffset begin, params Change[][] shards)
    {
        await feed.CreateIfNotExistsAsync();
        var time = begin.UtcDateTime.ToString("yyyy/MM/dd/HHmm", System.Globalization.CultureInfo.InvariantCulture);
        var paths = new List<string>();
        for (var shard = 0; shard < shards.Length; shard++)
        {
            var folder = $"log/{shard:D2}/{time}/";
            paths.Add($"{feed.Name}/{folder}");
            await feed.GetBlobClient($"{folder}00000.avro").UploadAsync(new BinaryData(Chunk(shards[shard], begin)), overwrite: true);
        }

        var meta = JsonSerializer.Serialize(new { version = 0, begin = begin.ToString("O"), intervalSecs = 3600, status = "Finalized", chunkFilePaths = paths });
        await feed.GetBlobClient($"idx/segments/{time}/meta.json").UploadAsync(BinaryData.FromString(meta), overwrite: true);
    }

    public static byte[] Chunk(IEnumerable<Change> changes, DateTimeOffset time)
    {
        using var stream = new MemoryStream();
        using (var writer = DataFileWriter<GenericRecord>.OpenWriter(new GenericDatumWriter<GenericRecord>(EventSchema), stream, leaveOpen: true))
        {
            var dataSchema = (RecordSchema)EventSchema["data"].Schema;
            foreach (var change in changes)
            {
                var data = new GenericRecord(dataSchema);
                data.Add("api", "PutBlob");
                data.Add("etag", change.Etag);
                data.Add("contentLength", 10L);
                data.Add("blobType", "BlockBlob");
                data.Add("url", "");
                var record = new GenericRecord(EventSchema);
                record.Add("schemaVersion", 1);
                record.Add("topic", "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/devstoreaccount1");
                record.Add("subject", $"/blobServices/default/containers/{change.Container}/blobs/{change.Blob}");
                record.Add("eventType", change.EventType);
                record.Add("eventTime", time.ToString("O"));
                record.Add("id", Guid.NewGuid().ToString());
                record.Add("data", data);
                writer.Append(record);
            }
        }

        return stream.ToArray();
    }
}
