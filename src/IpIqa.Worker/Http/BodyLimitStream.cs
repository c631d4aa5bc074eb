using Microsoft.AspNetCore.Http;

namespace IpIqa.Worker.Http;

/// <summary>
/// The request body, read up to <paramref name="limit"/> bytes; one byte more is a 413 <see cref="ScoreApiProblem"/>
/// with the API's own body. Kestrel's limit (set higher, as a backstop) answers with no body or drops the connection.
/// </summary>
internal sealed class BodyLimitStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        return _read > limit
            ? throw new ScoreApiProblem(StatusCodes.Status413PayloadTooLarge, ScoreApiProblem.RequestTooLarge, $"The body is over {limit} bytes (IpIqa:Http:MaxBodyBytes).")
            : read;
    }
}
