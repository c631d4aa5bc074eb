using System.Text.Encodings.Web;
using System.Text.Json;
using IpIqa.Core.Bundles;

namespace IpIqa.Cli.Scoring;

/// <summary>
/// One JSON object per line: <c>{image, prompt, scores: {quality, alignment}, verdict: {outcome, failed}, model: {name, version, hash}}</c>,
/// with <c>percentiles: {quality, alignment}</c> after the scores when the bundle is calibrated,
/// or <c>{image, prompt, error: {code, message}, model}</c>. The verdict has the shape of the result message's.
/// </summary>
internal sealed class JsonlResultWriter(Stream stream, ModelIdentity model) : IResultWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();
    private readonly Utf8JsonWriter _json = new(stream, Options);

    public async ValueTask WriteAsync(ScoreOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("image", outcome.Image);
        _json.WriteString("prompt", outcome.Prompt);
        if (outcome.Scores is { } scores)
        {
            _json.WriteStartObject("scores");
            _json.WriteNumber("quality", scores.Quality);
            _json.WriteNumber("alignment", scores.Alignment);
            _json.WriteEndObject();
            if (outcome.Percentiles is { } percentiles)
            {
                _json.WriteStartObject("percentiles");
                _json.WriteNumber("quality", Math.Round(percentiles.Quality, 3));
                _json.WriteNumber("alignment", Math.Round(percentiles.Alignment, 3));
                _json.WriteEndObject();
            }

            if (outcome.Verdict is { } verdict)
            {
                _json.WriteStartObject("verdict");
                _json.WriteString("outcome", verdict.Outcome);
                _json.WriteStartArray("failed");
                foreach (var check in verdict.Failed)
                {
                    _json.WriteStringValue(check);
                }

                _json.WriteEndArray();
                _json.WriteEndObject();
            }
        }
        else if (outcome.Error is { } error)
        {
            _json.WriteStartObject("error");
            _json.WriteString("code", error.Code);
            _json.WriteString("message", error.Message);
            _json.WriteEndObject();
        }

        _json.WriteStartObject("model");
        _json.WriteString("name", model.Name);
        _json.WriteString("version", model.Version);
        _json.WriteString("hash", model.Hash);
        _json.WriteEndObject();
        _json.WriteEndObject();
        await _json.FlushAsync(cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync().ConfigureAwait(false);
        await stream.DisposeAsync().ConfigureAwait(false);
    }
}
