using Azure.Messaging.ServiceBus;
using IpIqa.Core.Contracts;

namespace IpIqa.Rescoring;

/// <summary>
/// Sends requests to a Service Bus queue: JSON body, <c>MessageId</c> = job id (duplicate detection),
/// <c>CorrelationId</c> = the run id. The queue is not created here: creating entities needs the
/// Manage right, which the fleet's identity does not hold (infra/ creates the queue).
/// </summary>
public sealed class ServiceBusJobQueue(ServiceBusClient client, string queueName) : IJobQueue
{
    private readonly ServiceBusSender _sender = client.CreateSender(queueName);

    public string Description => $"service-bus:{client.FullyQualifiedNamespace}/{queueName}";

    public Task<string?> EnsureReadyAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public async Task SendAsync(ScoringRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = new ServiceBusMessage(ScoringJson.SerializeRequest(request))
        {
            ContentType = "application/json",
            MessageId = request.JobId,
            CorrelationId = request.CorrelationId,
        };
        try
        {
            await _sender.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceBusException ex) when (ex.Reason == ServiceBusFailureReason.MessagingEntityNotFound)
        {
            throw new InvalidDataException($"The Service Bus queue '{queueName}' does not exist in {client.FullyQualifiedNamespace}; create it (infra/ does) or name another with --queue.", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sender.DisposeAsync().ConfigureAwait(false);
        await client.DisposeAsync().ConfigureAwait(false);
    }
}
