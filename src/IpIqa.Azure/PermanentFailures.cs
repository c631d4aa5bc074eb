using Azure;
using Azure.Messaging.ServiceBus;
using IpIqa.Core.Errors;

namespace IpIqa.Azure;

/// <summary>
/// Which Azure failures can never succeed on a retry of the same request: 400 (a bad request, such as a
/// table's <c>PropertyValueTooLarge</c>), 411, 413 (<c>EntityTooLarge</c>, <c>RequestBodyTooLarge</c>),
/// 414 and 431, and Service Bus <c>MessageSizeExceeded</c>. They become an <see cref="IpIqaException"/>
/// with <c>internal_error</c>, which the job processor dead-letters. 408, 429 and 5xx stay transient, and
/// so do 401, 403, 404 and 409: a role assignment, a missing table or a race can heal.
/// </summary>
public static class PermanentFailures
{
    public static bool IsPermanent(Exception exception) => exception switch
    {
        RequestFailedException { Status: 400 or 411 or 413 or 414 or 431 } => true,
        ServiceBusException { Reason: ServiceBusFailureReason.MessageSizeExceeded } => true,
        _ => false,
    };

    /// <summary>The <c>internal_error</c> that says <paramref name="what"/> was refused for good, and why.</summary>
    public static IpIqaException Refused(string what, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var why = exception switch
        {
            RequestFailedException ex => $"{ex.Status} {ex.ErrorCode}",
            ServiceBusException ex => ex.Reason.ToString(),
            _ => exception.GetType().Name,
        };
        return new IpIqaException(ErrorCodes.InternalError, $"{what} was refused for good ({why}); retrying cannot succeed.", exception);
    }
}
