namespace IpIqa.Core.Errors;

/// <summary>
/// Stable, documented error codes of the result contract. Never rename one: pipelines match on them.
/// </summary>
public static class ErrorCodes
{
    /// <summary>The message is not valid JSON, or misses a required field.</summary>
    public const string MessageInvalid = "message_invalid";

    /// <summary>The message's <c>schemaVersion</c> is not one this worker understands.</summary>
    public const string SchemaUnsupported = "schema_unsupported";

    /// <summary>The prompt is empty, too long in bytes, or not text.</summary>
    public const string PromptInvalid = "prompt_invalid";

    /// <summary>
    /// An image has no prompt in its source: a gallery image in rescoring (blob metadata, sidecar file or manifest),
    /// or the blob of a BlobCreated event (its metadata). It is reported, never guessed.
    /// </summary>
    public const string PromptMissing = "prompt_missing";

    /// <summary>The message is an event (CloudEvents or Event Grid schema) that is not a job: any type but <c>Microsoft.Storage.BlobCreated</c>, or a CloudEvents version other than 1.0.</summary>
    public const string EventUnsupported = "event_unsupported";

    /// <summary>The image URI or path is outside the allow-list or the configured root.</summary>
    public const string SourceNotAllowed = "source_not_allowed";

    /// <summary>The image does not exist.</summary>
    public const string ImageNotFound = "image_not_found";

    /// <summary>The file is larger than the byte cap, or its header declares more pixels than the pixel cap.</summary>
    public const string ImageTooLarge = "image_too_large";

    /// <summary>The file is empty.</summary>
    public const string ImageEmpty = "image_empty";

    /// <summary>The path names a directory, device, FIFO or socket, not a regular file.</summary>
    public const string ImageNotAFile = "image_not_a_file";

    /// <summary>The bytes are not an image in any supported format.</summary>
    public const string ImageUnsupported = "image_unsupported_format";

    /// <summary>The format is recognised but the data is corrupt.</summary>
    public const string ImageUndecodable = "image_undecodable";

    /// <summary>
    /// The file ends before its image data does (Pillow: "image file is truncated"): no end marker, a chunk cut
    /// short, or compressed pixel data too short for the dimensions its header declares.
    /// </summary>
    public const string ImageTruncated = "image_truncated";

    /// <summary>The model failed on this item (after it was isolated from its batch).</summary>
    public const string ScoringFailed = "scoring_failed";

    /// <summary>
    /// The device or the runtime failed while the model ran (CUDA out of memory, device lost, an ONNX
    /// Runtime session failure): the worker is at fault, not the job. The worker abandons the job with
    /// back-off (no result, never dead-lettered) and reports not ready until a batch succeeds again.
    /// </summary>
    public const string DeviceFault = "device_fault";

    /// <summary>A sink or source failed in a way that will not heal by retrying.</summary>
    public const string InternalError = "internal_error";
}
