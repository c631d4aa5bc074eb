using IpIqa.TestSupport;
using IpIqa.Training.Training;

namespace IpIqa.Training.Tests.Training;

public sealed class TrainingOptionsTests
{
    [Theory]
    [InlineData("{\"epochs\": 0}", "epochs = 0")]
    [InlineData("{\"schedule\": \"linear\"}", "schedule = linear")]
    [InlineData("{\"lr\": 1e-3, \"min_lr\": 1e-2}", "min_lr = 0.01")]
    [InlineData("{\"protocol\": \"honest\", \"validation_fraction\": 0}", "validation_fraction = 0")]
    [InlineData("{\"mismatch_probability\": 1}", "mismatch_probability = 1")]
    [InlineData("{\"mismatch_alignment\": -0.5}", "mismatch_alignment = -0.5")]
    [InlineData("{\"image_lr_scale\": -0.1}", "image_lr_scale = -0.1")]
    [InlineData("{\"freeze_image_epochs\": -1}", "freeze_image_epochs = -1")]
    [InlineData("{\"swap_ranking_weight\": -1}", "swap_ranking_weight = -1")]
    [InlineData("{\"swap_ranking_margin\": -0.5}", "swap_ranking_margin = -0.5")]
    [InlineData("{\"attribute_swap_weights\": {\"size\": 2}}", "unknown key 'size'")]
    public void Validate_NamesTheKeyOutOfRange(string json, string expected)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("train.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<InvalidDataException>(() => TrainingOptions.Load(path).Validate());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKey_IsAnErrorNamingIt()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("train.json");
        File.WriteAllText(path, "{\n  \"epochs\": 3,\n  \"learning_rate\": 0.1\n}");

        var error = Assert.Throws<InvalidDataException>(() => TrainingOptions.Load(path));

        Assert.Contains("learning_rate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReadsSnakeCaseKeysAndComments()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("train.json");
        File.WriteAllText(path, "{ // the demo\n \"batch_size\": 7, \"head_scale\": 3, \"hflip\": false, \"pair_min_alignment\": 3.5, \"hard_negatives\": true }");

        var options = TrainingOptions.Load(path).Validate();

        Assert.Equal(7, options.BatchSize);
        Assert.Equal(3, options.HeadScale);
        Assert.False(options.HorizontalFlip);
        Assert.Equal(3.5, options.PairMinAlignment);
        Assert.True(options.HardNegatives);
        Assert.False(new TrainingOptions().HardNegatives);
    }
}
