using Azure;
using Azure.Storage.Queues;
using IpIqa.Core.Contracts;

namespace IpIqa.Rescoring;

/// <summary>Sends requests to a Storage Queue as base64 of the UTF-8 JSON, the form the worker reads. A missing queue is created.</summary>
public sealed class StorageQueueJobQueue(QueueClient queue) : IJobQueue
{
    public string Description => $"storage-queue:{queue.Uri.GetLeftPart(UriPartial.Path)}";

    public async Task<string?> EnsureReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            // CreateIfNotExists answers null when the queue was already there.
            var created = await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return created is null ? null : $"created queue {queue.Name}";
        }
        catch (RequestFailedException ex) when (ex.Status == 403)
        {
            // A sender-only identity may not create queues; the sends say whether the queue is there.
            return null;
        }
    }

    public async Task SendAsync(ScoringRequest request, CancellationToken cancellationToken)
    {
        var body = Convert.ToBase64String(ScoringJson.SerializeRequest(request));
        await queue.SendMessageAsync(body, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
