using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace IpIqa.Worker.Local;

/// <summary>
/// Appends results to a JSONL file: one result per line, the result JSON plus its <c>resultKey</c>.
/// Idempotent on the key: keys already in the file (read when the sink opens) or written since are
/// not written again, so a redelivered job leaves exactly one line. Each line is flushed to disk
/// before the write returns (the job completes only then).
/// </summary>
public sealed class JsonlResultSink : IResultSink, IDisposable
{
    public const string KeyProperty = "resultKey";

    // Results are data, not HTML: keep '<' and '+' readable in the file (JSON stays valid either way).
    private static readonly JsonSerializerOptions LineOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
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

            var line = JsonNode.Parse(ScoringJson.SerializeResult(record.Result))!.AsObject();
            line[KeyProperty] = record.Key;
            var bytes = Encoding.UTF8.GetBytes(line.ToJsonString(LineOptions) + "\n");
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
            var number = 0;
            foreach (var text in await File.ReadAllLinesAsync(_path, cancellationToken).ConfigureAwait(false))
            {
                number++;
                if (KeyOf(text) is { } key)
                {
                    _keys.Add(key);
                }
                else if (!string.IsNullOrWhiteSpace(text))
                {
                    throw new InvalidDataException($"{_path} line {number} is not a result line with a '{KeyProperty}'; move the file away or fix the line.");
                }
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

    private static string? KeyOf(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
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
