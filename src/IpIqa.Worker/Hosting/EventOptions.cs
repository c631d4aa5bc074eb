using System.ComponentModel.DataAnnotations;
using IpIqa.Core.Contracts;

namespace IpIqa.Worker.Hosting;

/// <summary>
/// Jobs made from storage BlobCreated events (Event Grid into the jobs queue). An event carries no
/// prompt, so it is read from the blob's metadata. Section <c>IpIqa:Events</c>.
/// </summary>
public sealed record EventOptions
{
    public const string SectionName = "IpIqa:Events";

    /// <summary>The blob metadata key that holds the prompt (URL-encoded when it is not plain ASCII), as for rescoring's <c>--prompt-key</c>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "IpIqa:Events:PromptMetadataKey must not be empty.")]
    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]*$", ErrorMessage = "IpIqa:Events:PromptMetadataKey must be a blob metadata name: letters, digits and '_', not starting with a digit.")]
    public string PromptMetadataKey { get; init; } = PromptMetadata.DefaultKey;
}
