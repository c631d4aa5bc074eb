using System.Buffers.Text;
using System.Text;

namespace IpIqa.Azure.StorageQueues;

/// <summary>
/// Message text encoding on Storage Queues. The worker reads both forms producers use: base64 of the
/// UTF-8 JSON (what Azure Functions and <c>QueueMessageEncoding.Base64</c> write) and plain JSON text.
/// Text that is valid base64 and decodes to a JSON object is taken as base64; anything else as text.
/// The worker writes base64 (poison entries), which survives any character in the JSON.
/// </summary>
public static class QueueMessageBody
{
    public static byte[] Decode(string messageText)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        var trimmed = messageText.AsSpan().Trim();
        if (trimmed.Length > 0 && trimmed[0] != '{' && Base64.IsValid(trimmed, out var length) && length > 0)
        {
            var bytes = Convert.FromBase64String(trimmed.ToString());
            var start = bytes.AsSpan().TrimStart(" \t\r\n"u8);
            if (start.Length > 0 && start[0] == (byte)'{')
            {
                return bytes;
            }
        }

        return Encoding.UTF8.GetBytes(messageText);
    }

    public static string Encode(ReadOnlySpan<byte> utf8) => Convert.ToBase64String(utf8);
}
