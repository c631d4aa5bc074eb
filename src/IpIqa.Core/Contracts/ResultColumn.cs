namespace IpIqa.Core.Contracts;

/// <summary>
/// One column of a tabular result file (CSV, Parquet): its name and how a row of <typeparamref name="TRow"/>
/// gives its value: text (<see cref="Text"/>), a number (<see cref="Number"/>) or a flag (<see cref="Flag"/>,
/// <c>true</c>/<c>false</c> in CSV); null is an empty field.
/// </summary>
public sealed record ResultColumn<TRow>(string Name, Func<TRow, string?>? Text, Func<TRow, double?>? Number, Func<TRow, bool?>? Flag = null)
{
    public bool IsNumber => Number is not null;

    public bool IsFlag => Flag is not null;

    public static ResultColumn<TRow> OfText(string name, Func<TRow, string?> value) => new(name, value, null);

    public static ResultColumn<TRow> OfNumber(string name, Func<TRow, double?> value) => new(name, null, value);

    public static ResultColumn<TRow> OfFlag(string name, Func<TRow, bool?> value) => new(name, null, null, value);

    /// <summary>This column over rows of <typeparamref name="TOuter"/>, each of which holds a <typeparamref name="TRow"/>.</summary>
    public ResultColumn<TOuter> Over<TOuter>(Func<TOuter, TRow> inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        var (text, number, flag) = (Text, Number, Flag);
        return new ResultColumn<TOuter>(
            Name,
            text is null ? null : row => text(inner(row)),
            number is null ? null : row => number(inner(row)),
            flag is null ? null : row => flag(inner(row)));
    }
}
