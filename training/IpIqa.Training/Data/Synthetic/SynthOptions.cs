using System.ComponentModel.DataAnnotations;

namespace IpIqa.Training.Data.Synthetic;

/// <summary>What <c>ipiqa-train synth</c> generates. Validated before any file is written.</summary>
public sealed record SynthOptions(
    [property: Required(AllowEmptyStrings = false)] string OutputDirectory,
    [property: Range(1, 100_000)] int Prompts = 100,
    [property: Range(1, 100)] int ImagesPerPrompt = 4,
    [property: Range(16, 1024)] int Size = 64,
    int Seed = 0)
{
    /// <summary>Throws <see cref="ValidationException"/> naming every invalid value.</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ValidationException(string.Join(" ", results.Select(r => $"{string.Join(",", r.MemberNames)}: {r.ErrorMessage}")));
        }
    }
}
