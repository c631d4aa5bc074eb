using System.ComponentModel.DataAnnotations;

namespace IpIqa.Azure.Tables;

/// <summary>The results table. Section <c>IpIqa:Sinks:Table</c>.</summary>
public sealed record TableSinkOptions
{
    public const string SectionName = "IpIqa:Sinks:Table";

    public bool Enabled { get; init; }

    /// <summary><c>https://ACCOUNT.table.core.windows.net</c>; authenticates with the token credential.</summary>
    public Uri? ServiceUri { get; init; }

    /// <summary>A connection string, for development and tests only (Azurite).</summary>
    public string? ConnectionString { get; init; }

    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "IpIqa:Sinks:Table:TableName must be 3 to 63 letters and digits, starting with a letter.")]
    public string TableName { get; init; } = "ipiqaresults";

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);
}
