namespace IpIqa.Training.Data;

/// <summary>
/// How a data set is split. <see cref="TestFraction"/> and <see cref="ValidationFraction"/> are fractions of
/// prompt groups; the validation fraction is taken from the training groups and is zero in the official protocol.
/// </summary>
public sealed record SplitProtocol(int Repeats, int Seed, double TestFraction = 0.2, double ValidationFraction = 0.0)
{
    /// <summary>The official protocol: repeated random 80/20 prompt-disjoint splits, no validation split.</summary>
    public static SplitProtocol Official(int repeats = 10, int seed = 0) => new(repeats, seed);

    /// <summary>The honest protocol: as official, plus a validation split carved from the training prompts.</summary>
    public static SplitProtocol Honest(int repeats = 10, int seed = 0, double validationFraction = 0.1) => new(repeats, seed, 0.2, validationFraction);

    public void Validate()
    {
        if (Repeats < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Repeats), Repeats, "Repeats must be at least 1.");
        }

        if (TestFraction is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TestFraction), TestFraction, "TestFraction must lie strictly between 0 and 1.");
        }

        if (ValidationFraction is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must lie in [0, 1).");
        }
    }
}
