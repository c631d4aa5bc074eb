using CsvHelper;

namespace IpIqa.Core.Contracts;

/// <summary>
/// The one CSV reader of the project: manifests, result files and training tables. RFC 4180 with a
/// comma separator (never inferred), fields quoted with <c>"</c>, <c>""</c> inside quotes, line
/// breaks allowed in quotes, empty lines skipped. Parsing is CsvHelper's; this class makes it strict,
/// because every file it reads comes from someone else: malformed quoting is an error naming its line
/// rather than a silently recovered record, and a record longer than <see cref="MaxRecordBytes"/>
/// (an unclosed quote at the top of a large file) stops the read instead of growing a buffer to 2 GiB.
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    /// <summary>The longest record read, in bytes of UTF-8: far above a 16 KiB prompt and a path.</summary>
    public const int MaxRecordBytes = 1 << 20;

    private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        Separator = ',',
        HasHeader = false,
        Mode = CsvMode.Rfc4180,
        AllowLineBreaksInQuotes = true,
        SkipEmptyLines = true,
        TrimWhitespace = false,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MalformedData = CsvMalformedDataHandling.Skip,
        OnMalformedRecord = record => throw new FormatException($"line {record.LineNumber}: {Describe(record.Reason)}."),
        MaxRecordSize = MaxRecordBytes,
        TrackLineNumbers = true,
        DetectSeparatorHint = false,
    };

    private readonly CsvReader _reader;

    /// <summary>Reads from <paramref name="reader"/>, which stays open after <see cref="Dispose"/>.</summary>
    public CsvRecordReader(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = CsvReader.Create(reader, Options, leaveOpen: true);
    }

    /// <summary>The 1-based line on which the last record returned started (lines inside quotes count).</summary>
    public int RecordLine { get; private set; }

    /// <summary>The next record, or null at the end.</summary>
    /// <exception cref="FormatException">
    /// Malformed quoting (a quote never closed, text after a closing quote, a quote inside an unquoted
    /// field) or a record over <see cref="MaxRecordBytes"/>; the message starts with <c>line N:</c>.
    /// </exception>
    public IReadOnlyList<string>? Read()
    {
        try
        {
            if (!_reader.Read())
            {
                return null;
            }
        }
        catch (CsvFormatException ex)
        {
            throw new FormatException($"line {ex.LineNumber}: {(ex.Message.Contains("MaxRecordSize", StringComparison.Ordinal) ? $"a record is longer than {MaxRecordBytes} bytes (is a quote never closed?)" : ex.Message)}.", ex);
        }

        RecordLine = checked((int)_reader.LineNumber);
        return _reader.Current.ToArray();
    }

    public void Dispose() => _reader.Dispose();

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.UnterminatedQuote => "a quoted field is not closed",
        CsvMalformedReason.TextAfterClosingQuote => "unexpected text after a closing quote",
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted field (quote the field and double the quote)",
        _ => $"malformed CSV ({reason})",
    };
}
