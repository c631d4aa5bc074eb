using IpIqa.Cli.Rescoring;
using IpIqa.TestSupport;

namespace IpIqa.Cli.Tests.Rescoring;

/// <summary><c>ipiqa calibrate --results</c> that names nothing says what it expected there.</summary>
public sealed class CalibrateInputTests : IDisposable
{
    private readonly TempDirectory _temp = new("calibrate-input");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_results_path_that_does_not_exist_names_what_it_should_be()
    {
        var missing = _temp.Combine("runs", "20260101-000000-abcdef");

        var error = Assert.Throws<InvalidDataException>(() => CalibrateRunner.ReadScores(missing));

        Assert.Equal($"--results '{missing}' is neither a rescore run folder nor a results .csv file.", error.Message);
    }
}
