using System.Text.Json;
using System.Text.Json.Nodes;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Core.Jobs;
using Microsoft.AspNetCore.Http;

namespace IpIqa.Worker.Http;

/// <summary>
/// Reads the items of a <c>POST /v1/score</c> body: JSON <c>{"items": [...]}</c>, or multipart form data with
/// <c>image</c> file parts and as many <c>prompt</c> fields (and optional <c>jobId</c> fields), paired in order.
/// Every item goes through the queue's request parser (<see cref="ScoringRequestParser"/>), so an HTTP item meets
/// the same rules and limits as a queue message. An inline image (<c>image.base64</c>, a file part) stands in the
/// parsed request as <c>image.path = "items[N]"</c> and is scored from its bytes; a caller's <c>image.path</c> is
/// refused, since HTTP callers may not read the worker's disk. A problem with one item fails that item only; a body
/// that is not one of the two forms is a <see cref="ScoreApiProblem"/>.
/// </summary>
internal static class ScoreApiBody
{
    // A duplicated property is refused here, as the queue's parser refuses one: a JsonObject built with one throws
    // ArgumentException when read, which would reach the caller as a store to retry (503).
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = RequestLimits.MaxDepth + 2, AllowDuplicateProperties = false };

    public static async Task<IReadOnlyList<ScoreApiItem>> ReadAsync(HttpRequest request, ScoringOptions scoring, int maxItems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.HasJsonContentType())
        {
            JsonNode? root;
            try
            {
                root = await JsonNode.ParseAsync(request.Body, documentOptions: DocumentOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw new ScoreApiProblem(StatusCodes.Status400BadRequest, ScoreApiProblem.RequestInvalid, $"The body is not valid JSON: {ex.Message}");
            }

            if (root is not JsonObject body || body["items"] is not JsonArray items)
            {
                throw new ScoreApiProblem(StatusCodes.Status400BadRequest, ScoreApiProblem.RequestInvalid, "The body must be a JSON object with an array 'items'.");
            }

            CheckCount(items.Count, maxItems);
            return [.. items.Select((item, i) => FromJson(item, i, scoring))];
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            var images = form.Files.GetFiles("image");
            var prompts = form["prompt"];
            var jobIds = form["jobId"];
            CheckCount(images.Count, maxItems);
            if (prompts.Count != images.Count || (jobIds.Count != 0 && jobIds.Count != images.Count))
            {
                throw new ScoreApiProblem(StatusCodes.Status400BadRequest, ScoreApiProblem.RequestInvalid, $"The form has {images.Count} 'image' parts, {prompts.Count} 'prompt' fields and {jobIds.Count} 'jobId' fields: give one prompt (and optionally one jobId) per image, in order.");
            }

            var result = new List<ScoreApiItem>(images.Count);
            for (var i = 0; i < images.Count; i++)
            {
                var bytes = new byte[images[i].Length];
                await using (var stream = images[i].OpenReadStream())
                {
                    await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
                }

                var item = new JsonObject { ["jobId"] = jobIds.Count == 0 ? DefaultJobId(i) : jobIds[i], ["prompt"] = prompts[i] };
                result.Add(Parse(item, i, bytes, scoring));
            }

            return result;
        }

        throw new ScoreApiProblem(StatusCodes.Status415UnsupportedMediaType, ScoreApiProblem.UnsupportedMediaType, "Send application/json ({\"items\": [...]}) or multipart/form-data (image parts and prompt fields).");
    }

    private static void CheckCount(int count, int maxItems)
    {
        if (count == 0 || count > maxItems)
        {
            throw new ScoreApiProblem(StatusCodes.Status400BadRequest, ScoreApiProblem.RequestInvalid, $"The request has {count} items; send 1 to {maxItems} (IpIqa:Http:MaxItems).");
        }
    }

    private static ScoreApiItem FromJson(JsonNode? node, int index, ScoringOptions scoring)
    {
        if (node is not JsonObject source)
        {
            return ScoreApiItem.Failed(ErrorCodes.MessageInvalid, $"items[{index}] must be a JSON object.", null);
        }

        var item = source.DeepClone().AsObject();
        item["jobId"] ??= DefaultJobId(index);
        var jobId = item["jobId"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;
        if (item["image"] is not JsonObject image)
        {
            return Parse(item, index, null, scoring);
        }

        if (image.ContainsKey("path"))
        {
            return ScoreApiItem.Failed(ErrorCodes.SourceNotAllowed, $"items[{index}]: image.path is not served over HTTP; send image.base64, or an image.uri in an allowed storage account.", jobId);
        }

        if (!image.ContainsKey("base64"))
        {
            return Parse(item, index, null, scoring);
        }

        if (image.ContainsKey("uri"))
        {
            return ScoreApiItem.Failed(ErrorCodes.MessageInvalid, $"items[{index}]: image has both 'base64' and 'uri'; give one.", jobId);
        }

        if (image["base64"] is not JsonValue value || !value.TryGetValue<string>(out var base64))
        {
            return ScoreApiItem.Failed(ErrorCodes.MessageInvalid, $"items[{index}]: image.base64 must be a string.", jobId);
        }

        var bytes = new byte[base64.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
        {
            return ScoreApiItem.Failed(ErrorCodes.MessageInvalid, $"items[{index}]: image.base64 is not valid base64.", jobId);
        }

        return Parse(item, index, bytes[..length], scoring);
    }

    /// <summary>The queue parser on the item, with an inline image standing as <c>image.path = "items[N]"</c>.</summary>
    private static ScoreApiItem Parse(JsonObject item, int index, byte[]? inline, ScoringOptions scoring)
    {
        if (inline is not null)
        {
            item["image"] = new JsonObject { ["path"] = $"items[{index}]" };
        }

        var utf8 = JsonSerializer.SerializeToUtf8Bytes(item);
        return ScoringRequestParser.TryParse(utf8, scoring.PromptMetadataKey, scoring.MaxPromptBytes, out var request, out var error)
            ? new ScoreApiItem(request, null, inline)
            : new ScoreApiItem(null, error, null);
    }

    private static string DefaultJobId(int index) => $"item-{index}";
}
