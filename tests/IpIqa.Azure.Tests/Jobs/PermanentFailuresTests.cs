using Azure;
using Azure.Messaging.ServiceBus;
using IpIqa.Core.Errors;

namespace IpIqa.Azure.Tests.Jobs;

public sealed class PermanentFailuresTests
{
    [Theory]
    [InlineData(400, true)]
    [InlineData(411, true)]
    [InlineData(413, true)]
    [InlineData(414, true)]
    [InlineData(431, true)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(408, false)]
    [InlineData(409, false)]
    [InlineData(412, false)]
    [InlineData(429, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void Only_requests_that_can_never_succeed_are_permanent(int status, bool permanent) =>
        Assert.Equal(permanent, PermanentFailures.IsPermanent(new RequestFailedException(status, "x")));

    [Theory]
    [InlineData(ServiceBusFailureReason.MessageSizeExceeded, true)]
    [InlineData(ServiceBusFailureReason.ServiceBusy, false)]
    [InlineData(ServiceBusFailureReason.ServiceTimeout, false)]
    [InlineData(ServiceBusFailureReason.ServiceCommunicationProblem, false)]
    [InlineData(ServiceBusFailureReason.QuotaExceeded, false)]
    public void An_oversized_service_bus_reply_is_permanent_and_a_busy_service_is_not(ServiceBusFailureReason reason, bool permanent) =>
        Assert.Equal(permanent, PermanentFailures.IsPermanent(new ServiceBusException("x", reason)));

    [Fact]
    public void Network_errors_are_transient() =>
        Assert.False(PermanentFailures.IsPermanent(new AggregateException(new IOException("reset"))));

    [Fact]
    public void Refusal_is_an_internal_error_that_names_the_status_and_the_service_code()
    {
        var ex = PermanentFailures.Refused("The table row", new RequestFailedException(400, "too large", "PropertyValueTooLarge", null));

        Assert.Equal(ErrorCodes.InternalError, ex.Code);
        Assert.Equal("The table row was refused for good (400 PropertyValueTooLarge); retrying cannot succeed.", ex.Message);
    }
}
