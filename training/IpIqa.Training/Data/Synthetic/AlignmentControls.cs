namespace IpIqa.Training.Data.Synthetic;

/// <summary>How the rendered scene deviates from its prompt.</summary>
/// <param name="WrongColor">The objects are drawn in another colour.</param>
/// <param name="WrongObject">Another shape is drawn.</param>
/// <param name="CountError">How many objects too many or too few (0–3).</param>
/// <param name="MissingObject">No object is drawn at all (the other deviations are then moot).</param>
/// <param name="WrongPosition">The objects stand elsewhere. The generator never draws it; it grades a prompt that names another position (#14).</param>
/// <param name="WrongStyle">Another render style. The generator never draws it; it grades a prompt that names another style (#14).</param>
public sealed record AlignmentControls(bool WrongColor = false, bool WrongObject = false, int CountError = 0, bool MissingObject = false, bool WrongPosition = false, bool WrongStyle = false)
{
    public static AlignmentControls None { get; } = new();

    /// <summary>A short description for the data table, such as "wrong_colour count:-1", or "aligned".</summary>
    public string Describe()
    {
        if (MissingObject)
        {
            return "missing_object";
        }

        var parts = new List<string>();
        if (WrongColor)
        {
            parts.Add("wrong_colour");
        }

        if (WrongObject)
        {
            parts.Add("wrong_object");
        }

        if (CountError != 0)
        {
            parts.Add(FormattableString.Invariant($"wrong_count:{CountError}"));
        }

        if (WrongPosition)
        {
            parts.Add("wrong_position");
        }

        if (WrongStyle)
        {
            parts.Add("wrong_style");
        }

        return parts.Count == 0 ? "aligned" : string.Join(' ', parts);
    }
}
