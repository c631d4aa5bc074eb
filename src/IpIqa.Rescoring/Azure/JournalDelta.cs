using System.Buffers;

namespace IpIqa.Rescoring;

/// <summary>
/// Cuts the part of a local journal past what is already stored into append blocks of at most
/// <see cref="MaxBlockBytes"/>, each ending at the end of a line, so a crash between two blocks leaves
/// the stored journal made of whole lines. Only a single line longer than a block is split across
/// blocks; a partial last line (a line still being written) is held back until it is whole.
/// </summary>
internal static class JournalDelta
{
    /// <summary>The largest append block every storage service version accepts (4 MiB).</summary>
    public const int MaxBlockBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Calls <paramref name="append"/> with each block past <paramref name="stored"/> and the offset
    /// it goes at, in order; returns the new stored length.
    /// </summary>
    /// <exception cref="InvalidDataException">The local journal is shorter than what is stored: it is not the stored run's journal.</exception>
    public static async Task<long> AppendAsync(
        Stream journal,
        long stored,
        Func<ReadOnlyMemory<byte>, long, CancellationToken, Task> append,
        CancellationToken cancellationToken,
        int maxBlockBytes = MaxBlockBytes)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(append);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlockBytes, 1);
        var length = journal.Length;
        if (length < stored)
        {
            throw new InvalidDataException($"The local journal has {length} bytes, fewer than the {stored} already stored: it is not the stored run's journal.");
        }

        if (length == stored)
        {
            return stored;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBlockBytes, length - stored));
        try
        {
            var position = stored;
            while (position < length)
            {
                var window = (int)Math.Min(Math.Min(maxBlockBytes, buffer.Length), length - position);
                journal.Seek(position, SeekOrigin.Begin);
                await journal.ReadExactlyAsync(buffer.AsMemory(0, window), cancellationToken).ConfigureAwait(false);
                var block = BlockLength(buffer.AsSpan(0, window), more: position + window < length);
                if (block == 0)
                {
                    break;
                }

                await append(buffer.AsMemory(0, block), position, cancellationToken).ConfigureAwait(false);
                position += block;
            }

            return position;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The length of the next block out of <paramref name="window"/>: up to its last line end; the
    /// whole window when one line fills it and more follows; 0 when all it holds is a partial last line.
    /// </summary>
    public static int BlockLength(ReadOnlySpan<byte> window, bool more)
    {
        var lastLineEnd = window.LastIndexOf((byte)'\n');
        return lastLineEnd >= 0 ? lastLineEnd + 1 : more ? window.Length : 0;
    }
}
