using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using IpIqa.Imaging.Benchmarks;

namespace IpIqa.Cli.Commands;

/// <summary>Source-generated JSON metadata for the command outputs.</summary>
[JsonSerializable(typeof(TokenizeOutputLine))]
[JsonSerializable(typeof(PreprocessBenchmarkResult))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>Writes non-ASCII text and &lt; &gt; as they are: the output is JSON Lines, never embedded in HTML.</summary>
    public static CliJsonContext Readable { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
