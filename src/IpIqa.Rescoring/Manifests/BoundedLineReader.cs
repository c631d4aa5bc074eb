using System.Text;

namespace IpIqa.Rescoring;

/// <summary>
/// The lines of a text, split as <see cref="TextReader.ReadLine"/> splits them (<c>\n</c>, <c>\r</c> or <c>\r\n</c>),
/// each held only up to <paramref name="maxChars"/> characters: a longer line is read on to its end without being
/// kept, and comes back as null, so one line of gigabytes (a manifest with no newline) costs a bounded buffer.
/// </summary>
internal static class BoundedLineReader
{
    private const int BlockChars = 16 * 1024;

    /// <summary>Each line with its 1-based number; <c>Line</c> is null for a line over <paramref name="maxChars"/> characters.</summary>
    public static IEnumerable<(string? Line, int Number)> Read(TextReader reader, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var line = new StringBuilder();
        var buffer = new char[BlockChars];
        var (number, tooLong, afterCarriageReturn, open) = (0, false, false, false);
        for (int read; (read = reader.Read(buffer, 0, buffer.Length)) > 0;)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c is not ('\n' or '\r'))
                {
                    continue;
                }

                if (c == '\n' && afterCarriageReturn && i == start && !open)
                {
                    // The \n of a \r\n whose \r ended the previous line.
                    (start, afterCarriageReturn) = (i + 1, false);
                    continue;
                }

                tooLong = Append(line, buffer, start, i - start, maxChars, tooLong);
                yield return (tooLong ? null : line.ToString(), ++number);
                (line.Length, tooLong, afterCarriageReturn, open, start) = (0, false, c == '\r', false, i + 1);
            }

            if (start < read)
            {
                tooLong = Append(line, buffer, start, read - start, maxChars, tooLong);
                (afterCarriageReturn, open) = (false, true);
            }
        }

        if (open)
        {
            yield return (tooLong ? null : line.ToString(), ++number);
        }
    }

    /// <summary>Appends the characters unless the line is, or becomes, longer than <paramref name="maxChars"/>; true when it is.</summary>
    private static bool Append(StringBuilder line, char[] buffer, int start, int count, int maxChars, bool tooLong)
    {
        if (tooLong || line.Length + count > maxChars)
        {
            line.Length = 0;
            return true;
        }

        line.Append(buffer, start, count);
        return false;
    }
}
