using IpIqa.Core.Errors;

namespace IpIqa.Core.Jobs;

/// <summary>
/// The scorer's device or runtime failed (<see cref="ErrorCodes.DeviceFault"/>): the worker is at
/// fault, not the job. The <see cref="JobProcessor"/> abandons the delivery after
/// <see cref="JobProcessorOptions.DeviceFaultBackOff"/>; it writes no result and never dead-letters it.
/// </summary>
public sealed class DeviceFaultException : Exception
{
    public DeviceFaultException()
    {
    }

    public DeviceFaultException(string message)
        : base(message)
    {
    }

    public DeviceFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
