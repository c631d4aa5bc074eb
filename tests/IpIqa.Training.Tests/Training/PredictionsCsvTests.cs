using System.Globalization;
using IpIqa.TestSupport;
using IpIqa.Training.Data;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

public sealed class PredictionsCsvTests
{
    [Fact]
    public void Write_RoundTripsEveryValue_AndQuotesPromptsWithCommas()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("predictions.csv");
        var samples = new IqaSample[] { new("/x/a.png", "a cat, sitting", 3.25, 4.5, "p0"), new("/x/b.png", "a \"dog\"", 1.0 / 3, null, "p1") };
        var predicted = new[] { new[] { 0.1 + 0.2, 4.000000000000001 }, new[] { Math.PI, Math.E } };

        PredictionsCsv.Write(path, new Predictions(samples, predicted, 0));

        var lines = File.ReadAllLines(path);
        Assert.Equal(PredictionsCsv.Header, lines[0]);
        Assert.StartsWith("a.png,\"a cat, sitting\",3.25,", lines[1], StringComparison.Ordinal);
        Assert.Equal(0.1 + 0.2, double.Parse(lines[1].Split(',')[4], CultureInfo.InvariantCulture));
        Assert.Equal("b.png,\"a \"\"dog\"\"\",0.3333333333333333,3.141592653589793,,2.718281828459045", lines[2]);
    }
}
