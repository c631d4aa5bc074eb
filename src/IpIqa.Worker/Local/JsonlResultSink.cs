using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace IpIqa.Worker.Local;

/// <summary>
/// Appends results to a JSONL file: one result per line, the result JSON plus its <c>resultKey</c> (the
/// job's key, see <see cref="ResultKeys"/>) and <c>messageId</c> (the job's <c>FILE:LINE</c> or file name).
/// Idempotent on the key: keys already in the file (read when the sink opens) or written since are
/// not written again, so a redelivered job leaves exactly one line. Each line is flushed to disk
/// before the write returns (the job completes only then), so the file also tells a restarted worker
/// which jobs are done (<see cref="ContainsAsync"/>).
/// </summary>
public sealed class JsonlResultSink : IResultSink, IDisposable
{
    public const string KeyProperty = "resultKey";

    public const string MessageIdProperty = "messageId";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Offset, int Length)> _earlier = new(StringComparer.Ordinal);
    private readonly string _path;
    private FileStream? _stream;

    public JsonlResultSink(string path, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        Name = name;
    }

    public string Name { get; }

    public int Order => 30;

    public string FullPath => _path;

    public async Task WriteAsync(ResultRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = _stream ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!_keys.Add(record.Key))
            {
                return;
            }

            var bytes = ScoringJson.SerializeResultLine(record.Result, (KeyProperty, record.Key), (MessageIdProperty, record.Job.MessageId));
            try
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            catch
            {
                _keys.Remove(record.Key);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether the file holds the result of <paramref name="key"/> (from an earlier run or this one).</summary>
    public async Task<bool> ContainsAsync(string key, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _stream ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
            return _keys.Contains(key);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The result an earlier run wrote for <paramref name="key"/>, or null (call <see cref="ContainsAsync"/> first).</summary>
    public ScoringResult? ReadEarlier(string key)
    {
        if (!_earlier.TryGetValue(key, out var where))
        {
            return null;
        }

        using var file = File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[where.Length];
        RandomAccess.Read(file, bytes, where.Offset);
        return ScoringJson.DeserializeResult(bytes);
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _gate.Dispose();
    }

    private async Task<FileStream> OpenAsync(CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(_path) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        if (File.Exists(_path))
        {
            DropTornLastLine(_path);
            var bytes = await File.ReadAllBytesAsync(_path, cancellationToken).ConfigureAwait(false);
            var number = 0;
            for (var start = 0; start < bytes.Length; number++)
            {
                var end = Array.IndexOf(bytes, (byte)'\n', start);
                var length = (end < 0 ? bytes.Length : end) - start;
                if (KeyOf(bytes.AsSpan(start, length)) is { } key)
                {
                    _keys.Add(key);
                    _earlier[key] = (start, length);
                }
                else if (!bytes.AsSpan(start, length).Trim(" \t\r"u8).IsEmpty)
                {
                    throw new InvalidDataException($"{_path} line {number + 1} is not a result line with a '{KeyProperty}'; move the file away or fix the line.");
                }

                start += length + 1;
            }
        }

        return new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    /// <summary>A line without its newline was cut short by a crash; its job never completed, so it is dropped.</summary>
    private static void DropTornLastLine(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (file.Length == 0)
        {
            return;
        }

        var end = file.Length;
        var one = new byte[1];
        while (end > 0)
        {
            file.Position = end - 1;
            file.ReadExactly(one);
            if (one[0] == (byte)'\n')
            {
                break;
            }

            end--;
        }

        if (end < file.Length)
        {
            file.SetLength(end);
        }
    }

    /// <summary>
    /// Null when <paramref name="path"/> is absent, empty or starts with a result line; otherwise why it is not a
    /// results file (another program's output, such as <c>ipiqa score</c>'s). Reads up to the first non-blank line.
    /// </summary>
    public static string? DescribeForeign(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var reader = new StreamReader(path, new UTF8Encoding(false, false));
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            return KeyOf(Encoding.UTF8.GetBytes(line)) is null
                ? $"line {number} is not a worker result line (it has no '{KeyProperty}'): the file was written by something else"
                : null;
        }

        return null;
    }

    private static string? KeyOf(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(KeyProperty, out var key)
                && key.ValueKind == JsonValueKind.String
                ? key.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
