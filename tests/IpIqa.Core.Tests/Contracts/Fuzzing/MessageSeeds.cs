namespace IpIqa.Core.Tests.Contracts.Fuzzing;

/// <summary>Valid messages the fuzzer mutates: requests of every shape and both event schemas.</summary>
internal static class MessageSeeds
{
    public static readonly string[] All =
    [
        """{"jobId":"j1","image":{"path":"in/a.png"},"prompt":"a cat"}""",
        """
        {"schemaVersion":1,"jobId":"gen-2026-11-26-000123","image":{"uri":"https://account.blob.core.windows.net/gallery/000123.png"},
         "prompt":"a photo of a cat sitting on a red sofa, 4k","thresholds":{"quality":0.40,"alignment":0.55},
         "correlationId":"batch-77","attributes":{"pipeline":"sdxl-nightly","run":"42"},"unknown":[1,{"x":null}]}
        """,
        """{"jobId":"ジョブ-1","image":{"uri":"https://a.blob.core.windows.net/c/%E7%8C%AB.png"},"prompt":"二匹の猫が窓辺で寝ている 🐈","thresholds":{"quality":null}}""",
        """
        {"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","source":"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/gallery",
         "id":"9aeb0fdf-c01e-0131-0922-9eb54906e209","time":"2026-11-26T13:00:00.1234567Z","subject":"/blobServices/default/containers/images/blobs/000123.png",
         "data":{"api":"PutBlob","eTag":"0x8DC1A2B3C4D5E6F","contentType":"image/png","contentLength":524288,"blobType":"BlockBlob",
                 "url":"https://gallery.blob.core.windows.net/images/000123.png"}}
        """,
        """
        [{"topic":"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/gallery","subject":"/blobServices/default/containers/images/blobs/a.png",
          "eventType":"Microsoft.Storage.BlobCreated","eventTime":"2026-11-26T13:00:00Z","id":"e-2",
          "data":{"eTag":"0x1","url":"https://gallery.blob.core.windows.net/images/a.png"},"dataVersion":"","metadataVersion":"1"}]
        """,
    ];
}
