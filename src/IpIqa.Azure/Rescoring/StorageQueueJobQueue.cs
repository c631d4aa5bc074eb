using Azure.Storage.Queues;
using IpIqa.Core.Contracts;
using IpIqa.Core.Rescoring;

namespace IpIqa.Azure.Rescoring;

/// <summary>Sends requests to a Storage Queue as base64 of the UTF-8 JSON, the form the worker reads.</summary>
public sealed class StorageQueueJobQueue(QueueClient queue) : IJobQueue
{
    public string Description => $"storage-queue:{queue.Uri.GetLeftPart(UriPartial.Path)}";

    public async Task SendAsync(ScoringRequest request, CancellationToken cancellationToken)
    {
        var body = Convert.ToBase64String(ScoringJson.SerializeRequest(request));
        await queue.SendMessageAsync(body, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
