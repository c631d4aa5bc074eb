using Azure.Messaging.ServiceBus;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace IpIqa.Azure.ServiceBus;

/// <summary>A peek-locked Service Bus message, settled explicitly through its processor arguments.</summary>
public sealed class ServiceBusReceivedJob(ProcessMessageEventArgs args) : IReceivedJob
{
    /// <summary>Application property set on an abandoned message: why it was abandoned.</summary>
    public const string AbandonReasonProperty = "ipiqa-abandon-reason";

    private const int MaxDescriptionLength = 1024;

    private readonly ServiceBusReceivedMessage _message = args.Message;

    public string MessageId => _message.MessageId ?? _message.SequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public ReadOnlyMemory<byte> Body => _message.Body.ToMemory();

    public int DeliveryCount => _message.DeliveryCount;

    public DateTimeOffset EnqueuedAt => _message.EnqueuedTime;

    public string? ReplyTo => string.IsNullOrEmpty(_message.ReplyTo) ? null : _message.ReplyTo;

    public Task CompleteAsync(CancellationToken cancellationToken) =>
        args.CompleteMessageAsync(_message, cancellationToken);

    public Task AbandonAsync(string reason, CancellationToken cancellationToken) =>
        args.AbandonMessageAsync(_message, new Dictionary<string, object> { [AbandonReasonProperty] = Truncate(reason) }, cancellationToken);

    public Task DeadLetterAsync(string code, string description, CancellationToken cancellationToken) =>
        args.DeadLetterMessageAsync(_message, code, Truncate(description), cancellationToken);

    /// <summary>Free text for the broker: URIs stripped of query, user information and fragment, cut without splitting a surrogate pair.</summary>
    private static string Truncate(string text)
    {
        text = UriRedaction.StripAll(text);
        return text.Length <= MaxDescriptionLength
            ? text
            : text[..(char.IsHighSurrogate(text[MaxDescriptionLength - 1]) ? MaxDescriptionLength - 1 : MaxDescriptionLength)];
    }
}
