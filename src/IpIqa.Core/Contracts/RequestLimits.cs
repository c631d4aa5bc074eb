namespace IpIqa.Core.Contracts;

/// <summary>
/// The size limits a message is checked against when it is parsed (docs/messages.md, "Limits").
/// A field over its cap is <c>message_invalid</c> at once, never a sink failure later. The caps are
/// chosen so that every sink can store what it echoes: a result with every field at its cap, each
/// character JSON-escaped to six (<c>\u003C</c>), still fits one Azure Table string property
/// (64 KiB, <see cref="MaxResultChars"/> UTF-16 characters); ids and attribute keys fit blob index
/// tags (256 and 128 characters). Only the prompt limit
/// is configured (<c>IpIqa:Model:MaxPromptBytes</c>): no sink stores the prompt.
/// </summary>
public static class RequestLimits
{
    /// <summary>Longest prompt accepted unless configured otherwise, in UTF-8 bytes (<c>IpIqa:Model:MaxPromptBytes</c>).</summary>
    public const int DefaultMaxPromptBytes = 16 * 1024;

    /// <summary>Largest message accepted, in bytes.</summary>
    public const int MaxMessageBytes = 256 * 1024;

    /// <summary>Deepest JSON nesting accepted (objects and arrays); a schema v1 request needs 3.</summary>
    public const int MaxDepth = 16;

    /// <summary>Longest <c>jobId</c> (or event <c>id</c>), in characters.</summary>
    public const int MaxJobIdLength = 256;

    /// <summary>Longest <c>correlationId</c>, in characters. An event whose <c>subject</c> is longer takes its <c>id</c> instead.</summary>
    public const int MaxCorrelationIdLength = 256;

    /// <summary>Longest <c>image.uri</c> or <c>image.path</c> (or event <c>data.url</c>), in characters.</summary>
    public const int MaxImageReferenceLength = 2048;

    /// <summary>Most <c>attributes</c> entries.</summary>
    public const int MaxAttributes = 64;

    /// <summary>Longest attribute key, in characters (a blob index tag key's limit).</summary>
    public const int MaxAttributeKeyLength = 128;

    /// <summary>Longest attribute value, in characters: a blob name (rescoring's <c>key</c> attribute carries one).</summary>
    public const int MaxAttributeValueLength = 1024;

    /// <summary>Most characters in all attribute keys and values together.</summary>
    public const int MaxAttributesLength = 2048;

    /// <summary>Longest error message a parse gives; values are quoted shortened, never whole.</summary>
    public const int MaxErrorMessageLength = 1024;

    /// <summary>The longest result JSON any sink must store: one Azure Table string property holds 64 KiB of UTF-16.</summary>
    public const int MaxResultChars = 32 * 1024;
}
