using Azure.Messaging.ServiceBus;
using IpIqa.Core.Contracts;
using IpIqa.Core.Rescoring;

namespace IpIqa.Azure.Rescoring;

/// <summary>Sends requests to a Service Bus queue: JSON body, <c>MessageId</c> = job id (duplicate detection), <c>CorrelationId</c> = the run id.</summary>
public sealed class ServiceBusJobQueue(ServiceBusClient client, string queueName) : IJobQueue
{
    private readonly ServiceBusSender _sender = client.CreateSender(queueName);

    public string Description => $"service-bus:{client.FullyQualifiedNamespace}/{queueName}";

    public async Task SendAsync(ScoringRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = new ServiceBusMessage(ScoringJson.SerializeRequest(request))
        {
            ContentType = "application/json",
            MessageId = request.JobId,
            CorrelationId = request.CorrelationId,
        };
        await _sender.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _sender.DisposeAsync().ConfigureAwait(false);
        await client.DisposeAsync().ConfigureAwait(false);
    }
}
