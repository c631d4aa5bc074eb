using System.Globalization;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;

namespace IpIqa.Core.Tests.Contracts.Fuzzing;

/// <summary>
/// Mutation fuzzing of <see cref="ScoringRequestParser"/> and <see cref="BlobEventParser"/> (#11).
/// 10,000 cases by default; <c>IPIQA_FUZZ_CASES</c> raises the count and <c>IPIQA_FUZZ_SEED</c>
/// changes the seed (docs/messages.md, "Fuzzing"). Each case must end in a request or an error with
/// a parser code, never an exception; what the worker would write for it must fit every sink.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    private const int DefaultCases = 10_000;
    private const int DefaultSeed = 20261207;
    private const int PromptLimit = RequestLimits.DefaultMaxPromptBytes;

    private static readonly HashSet<string> ParserCodes =
    [
        ErrorCodes.MessageInvalid, ErrorCodes.SchemaUnsupported, ErrorCodes.PromptInvalid, ErrorCodes.PromptMissing, ErrorCodes.EventUnsupported,
    ];

    private static readonly ModelInfo Model = new("ipiqa-agiqa3k", "1.0.0", "sha256:" + new string('0', 64));

    [Fact]
    public void Every_mutated_message_ends_in_a_request_or_an_error_code_that_every_sink_can_store()
    {
        var cases = Setting("IPIQA_FUZZ_CASES", DefaultCases);
        var seed = Setting("IPIQA_FUZZ_SEED", DefaultSeed);
        var mutator = new MessageMutator(seed);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < cases; i++)
        {
            var message = mutator.Next();
            string outcome;
            try
            {
                outcome = Check(message);
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"Case {i} of seed {seed} failed: {ex.GetType().Name}: {ex.Message}\nmessage (base64): {Convert.ToBase64String(message)}");
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        var summary = string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}"));
        output.WriteLine($"{cases} cases, seed {seed}: {summary}");

        // The fuzzer reaches every outcome: it is not stuck on the first byte.
        Assert.All(ParserCodes.Append("request").Append("event"), code => Assert.True(outcomes.GetValueOrDefault(code) > cases / 1000, $"{code}: {summary}"));
    }

    /// <summary>Parses one message and checks the parser's contract; returns "request", "event" or the error code.</summary>
    private static string Check(byte[] message)
    {
        var parsed = ScoringRequestParser.TryParse(message, PromptMetadata.DefaultKey, PromptLimit, out var request, out var error);
        ScoringResult result;
        string outcome;
        if (parsed)
        {
            Assert.NotNull(request);
            Assert.Null(error);
            CheckRequest(request);
            result = ScoringResult.Scored(request, new Scores(0.5, 0.5), new Verdict(Verdict.Pass, []), Model, DateTimeOffset.UnixEpoch, new ResultTimings(1, 1, 1, 1));
            outcome = request.Prompt is null ? "event" : "request";
        }
        else
        {
            Assert.Null(request);
            Assert.NotNull(error);
            Assert.Contains(error.Code, ParserCodes);
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
            Assert.InRange(error.Message.Length, 1, RequestLimits.MaxErrorMessageLength);
            CheckIdentity(error.JobId, error.CorrelationId, error.Image);
            result = ScoringResult.Failed(error, Model, DateTimeOffset.UnixEpoch);
            outcome = error.Code;
        }

        var json = ScoringJson.SerializeResultToString(result);
        Assert.InRange(json.Length, 1, RequestLimits.MaxResultChars);
        Assert.Equal(result.JobId, ScoringJson.DeserializeResult(ScoringJson.SerializeResult(result)).JobId);
        return outcome;
    }

    private static void CheckRequest(ScoringRequest request)
    {
        Assert.False(string.IsNullOrWhiteSpace(request.JobId));
        CheckIdentity(request.JobId, request.CorrelationId, request.Image);
        Assert.True(request.Image.Uri is null != (request.Image.Path is null), "exactly one of image.uri and image.path");
        if (request.Prompt is null)
        {
            Assert.Equal(PromptMetadata.DefaultKey, request.PromptMetadataKey);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(request.Prompt));
            Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(request.Prompt), 1, PromptLimit);

            // A request reads back as itself once written by the contract's serializer.
            Assert.True(ScoringRequestParser.TryParse(ScoringJson.SerializeRequest(request), out var again, out var error), error?.Message);
            Assert.Equal((request.JobId, request.Image, request.Prompt, request.Thresholds, request.CorrelationId), (again.JobId, again.Image, again.Prompt, again.Thresholds, again.CorrelationId));
            Assert.Equal(request.Attributes?.OrderBy(a => a.Key, StringComparer.Ordinal), again.Attributes?.OrderBy(a => a.Key, StringComparer.Ordinal));
        }

        if (request.Thresholds is { } thresholds)
        {
            Assert.True(thresholds.Quality is null || double.IsFinite(thresholds.Quality.Value));
            Assert.True(thresholds.Alignment is null || double.IsFinite(thresholds.Alignment.Value));
        }

        if (request.Attributes is { } attributes)
        {
            Assert.InRange(attributes.Count, 0, RequestLimits.MaxAttributes);
            Assert.All(attributes, a => Assert.InRange(a.Key.Length, 0, RequestLimits.MaxAttributeKeyLength));
            Assert.All(attributes, a => Assert.InRange(a.Value.Length, 0, RequestLimits.MaxAttributeValueLength));
            Assert.InRange(attributes.Sum(a => a.Key.Length + a.Value.Length), 0, RequestLimits.MaxAttributesLength);
        }
    }

    private static void CheckIdentity(string? jobId, string? correlationId, ImageReference? image)
    {
        Assert.InRange(jobId?.Length ?? 0, 0, RequestLimits.MaxJobIdLength);
        Assert.InRange(correlationId?.Length ?? 0, 0, RequestLimits.MaxCorrelationIdLength);
        Assert.InRange(image?.Uri?.Length ?? 0, 0, RequestLimits.MaxImageReferenceLength);
        Assert.InRange(image?.Path?.Length ?? 0, 0, RequestLimits.MaxImageReferenceLength);
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
