using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IpIqa.Core.Tests.Contracts.Fuzzing;

/// <summary>
/// A seeded, structure-aware mutation fuzzer for JSON messages. It edits the tree of a valid seed
/// (a value of another kind, huge and odd numbers, empty, long, escaped or lone-surrogate strings,
/// deep nesting, duplicate and escaped keys, properties removed, added or renamed, the message
/// wrapped in an array), then now and then the bytes (invalid UTF-8, a byte order mark, a cut,
/// a flipped byte, a span deleted or repeated). The same seed gives the same cases.
/// </summary>
internal sealed class MessageMutator(int seed)
{
    private static readonly JsonNode[] Seeds = [.. MessageSeeds.All.Select(s => JsonNode.Parse(s)!)];

    private static readonly JsonSerializerOptions Escaped = new() { Encoder = JavaScriptEncoder.Default };
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Names =
    [
        "jobId", "image", "uri", "path", "prompt", "schemaVersion", "thresholds", "quality", "alignment", "correlationId", "attributes",
        "specversion", "type", "eventType", "dataVersion", "id", "subject", "data", "url", "eTag", "JobId", "", "x",
    ];

    private static readonly string[] RawNumbers =
    [
        "0", "1", "-1", "1.0", "1e0", "2", "-0", "0.5", "2147483648", "-2147483649", "1e308", "1e400", "-1e400", "1e-400",
        "123456789012345678901234567890", "0.000000000000000000000000000001", "NaN", "Infinity", "01", "1.", "+1", "0x10",
    ];

    private static readonly string[] RawStrings =
    [
        "\"\\ud800\"", "\"\\udc00x\"", "\"a cat \\ud83d\"", "\"\\ud83d\\udc08\"", "\"\\u0000\"", "\"\\u006aobId\"", "\"\\\"\"",
        "\"tab\\tnew\\nline\"", "\"\\uFEFF\"", "\"\\uffff\"",
    ];

    private static readonly string[] Strings =
    [
        "", " ", "\t\n ", "a cat", "1", "1.0", "<script>", "ジョブ", "🐈‍⬛", "%2F..%2Fsecret", "https://x/..%2Fother%2Fsecret.png",
        "https://account.blob.core.windows.net/images/a.png", "in/a.png", "../etc/passwd", "/abs/a.png", "C:\\a.png",
        "Microsoft.Storage.BlobCreated", "Microsoft.Storage.BlobDeleted", "0x8DC1A2B3C4D5E6F",
    ];

    private const string Structural = "{}[],:\"\\ 0";

    private static readonly int[] Lengths = [255, 256, 257, 2047, 2048, 2049, 4097, 5 * 1024, 16384, 16385, 70_000];

    private static readonly byte[][] BadUtf8 =
    [
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x80], [0xE3, 0x81], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x90], [0xFE, 0xFF],
    ];

    private readonly Random _random = new(seed);
    private readonly List<string> _raw = [];

    /// <summary>The next case: a mutated seed, as the bytes of a message.</summary>
    public byte[] Next()
    {
        _raw.Clear();
        var root = Seeds[_random.Next(Seeds.Length)].DeepClone();
        for (var n = _random.Next(1, 4); n > 0; n--)
        {
            root = MutateTree(root);
        }

        var text = root.ToJsonString(_random.Next(2) == 0 ? Escaped : Relaxed);

        // Later raw pieces may hold the markers of earlier ones: expand them last first.
        for (var i = _raw.Count - 1; i >= 0; i--)
        {
            text = text.Replace($"\"{Marker(i)}\"", _raw[i], StringComparison.Ordinal);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        return _random.Next(4) == 0 ? MutateBytes(bytes) : bytes;
    }

    private JsonNode MutateTree(JsonNode root)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[_random.Next(nodes.Count)];
        switch (_random.Next(10))
        {
            case 0:
                return _random.Next(3) switch { 0 => new JsonArray(root), 1 => new JsonArray(root, root.DeepClone()), _ => new JsonArray() };
            case 1 or 2 or 3 when target.Parent is not null:
                Replace(target, Value(0));
                return root;
            case 4 or 5 when target is JsonObject obj:
                MutateObject(obj);
                return root;
            case 6 when target is JsonObject obj && obj.Count > 0:
                var raw = Raw(RawObject(obj));
                if (obj.Parent is null)
                {
                    return raw;
                }

                Replace(obj, raw);
                return root;
            case 7 when target is JsonArray array:
                if (array.Count > 0 && _random.Next(2) == 0)
                {
                    array.RemoveAt(_random.Next(array.Count));
                }
                else
                {
                    array.Add(Value(0));
                }

                return root;
            default:
                if (nodes.OfType<JsonObject>().ToArray() is { Length: > 0 } objects)
                {
                    MutateObject(objects[_random.Next(objects.Length)]);
                }

                return root;
        }
    }

    private void MutateObject(JsonObject obj)
    {
        var names = obj.Select(p => p.Key).ToArray();
        switch (_random.Next(5))
        {
            case 4:
                obj["schemaVersion"] = _random.Next(2) == 0 ? Raw(RawNumbers[_random.Next(RawNumbers.Length)]) : Value(1);
                break;
            case 0 when names.Length > 0:
                obj.Remove(names[_random.Next(names.Length)]);
                break;
            case 1 when names.Length > 0:
                var name = names[_random.Next(names.Length)];
                var value = obj[name];
                obj.Remove(name);
                obj[Recase(name)] = value;
                break;
            default:
                obj[Names[_random.Next(Names.Length)]] = Value(0);
                break;
        }
    }

    /// <summary>An object's text with one property given twice (second with another value) or with its names escaped.</summary>
    private string RawObject(JsonObject obj)
    {
        var properties = obj.Select(p => (Name: p.Key, Value: Text(p.Value))).ToList();
        var escape = _random.Next(2) == 0;
        if (!escape || _random.Next(2) == 0)
        {
            var (name, _) = properties[_random.Next(properties.Count)];
            properties.Insert(_random.Next(properties.Count + 1), (name, Text(Value(0))));
        }

        return "{" + string.Join(',', properties.Select(p => $"{(escape ? EscapeAll(p.Name) : Text(JsonValue.Create(p.Name)))}:{p.Value}")) + "}";
    }

    private JsonNode? Value(int depth)
    {
        // Long strings, deep nesting and containers at the top only, so that a case stays cheap to build.
        switch (_random.Next(depth > 0 ? 7 : 11))
        {
            case 0:
                return null;
            case 1:
                return JsonValue.Create(_random.Next(2) == 0);
            case 2 or 3:
                return Raw(RawNumbers[_random.Next(RawNumbers.Length)]);
            case 4:
                return Raw(RawStrings[_random.Next(RawStrings.Length)]);
            case 5 or 6:
                return JsonValue.Create(Strings[_random.Next(Strings.Length)]);
            case 7:
                var unit = _random.Next(3) switch { 0 => "a", 1 => "猫", _ => "<" };
                return JsonValue.Create(string.Concat(Enumerable.Repeat(unit, Lengths[_random.Next(Lengths.Length)])));
            case 8:
                return Raw(Nested(_random.Next(2) == 0 ? _random.Next(14, 19) : _random.Next(19, 2000)));
            case 9:
                var array = new JsonArray();
                for (var i = _random.Next(4); i > 0; i--)
                {
                    array.Add(Value(depth + 1));
                }

                return array;
            default:
                var obj = new JsonObject();
                for (var i = _random.Next(_random.Next(8) == 0 ? 70 : 4); i > 0; i--)
                {
                    obj[_random.Next(3) == 0 ? $"k{i}" : Names[_random.Next(Names.Length)]] = Value(depth + 1);
                }

                return obj;
        }
    }

    private string Nested(int depth) => _random.Next(2) == 0
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private byte[] MutateBytes(byte[] bytes)
    {
        var list = new List<byte>(bytes);
        for (var n = _random.Next(1, 4); n > 0; n--)
        {
            var at = _random.Next(list.Count + 1);
            switch (_random.Next(7))
            {
                case 0 when list.Count > 0:
                    list[Math.Min(at, list.Count - 1)] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1:
                    list.InsertRange(at, BadUtf8[_random.Next(BadUtf8.Length)]);
                    break;
                case 2:
                    list.InsertRange(0, [0xEF, 0xBB, 0xBF]);
                    break;
                case 3:
                    list.RemoveRange(at, list.Count - at);
                    break;
                case 4 when list.Count > 0:
                    var start = _random.Next(list.Count);
                    list.RemoveRange(start, _random.Next(Math.Min(16, list.Count - start) + 1));
                    break;
                case 5 when list.Count > 0:
                    var from = _random.Next(list.Count);
                    list.InsertRange(at, list.GetRange(from, _random.Next(Math.Min(32, list.Count - from) + 1)));
                    break;
                default:
                    list.Insert(at, (byte)Structural[_random.Next(Structural.Length)]);
                    break;
            }
        }

        return [.. list];
    }

    private string Recase(string name) =>
        name.Length == 0 ? " " : _random.Next(2) == 0 ? name.ToUpperInvariant() : char.ToUpperInvariant(name[0]) + name[1..] + (_random.Next(3) == 0 ? " " : "");

    private static string EscapeAll(string name) => "\"" + string.Concat(name.Select(c => $"\\u{(int)c:x4}")) + "\"";

    private JsonValue Raw(string text)
    {
        _raw.Add(text);
        return JsonValue.Create(Marker(_raw.Count - 1));
    }

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static string Marker(int index) => string.Create(CultureInfo.InvariantCulture, $"@@raw{index}@@");

    private static void Collect(JsonNode node, List<JsonNode> into)
    {
        into.Add(node);
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is not null)
            {
                Collect(child, into);
            }
        }
    }

    private static void Replace(JsonNode target, JsonNode? value)
    {
        switch (target.Parent)
        {
            case JsonObject parent:
                parent[target.GetPropertyName()] = value;
                break;
            case JsonArray parent:
                parent[target.GetElementIndex()] = value;
                break;
        }
    }
}
