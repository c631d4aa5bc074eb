using IpIqa.Model;

namespace IpIqa.Training.Import;

/// <summary>
/// A loaded model and where its weights came from: <see cref="FromBaseClip"/> lists the keys the
/// base CLIP supplied, <see cref="FreshlyInitialised"/> the keys that kept their fresh initialisation.
/// </summary>
public sealed record ImportResult(
    IpIqaModel Model,
    CheckpointFormat Format,
    IReadOnlyList<string> FromBaseClip,
    IReadOnlyList<string> FreshlyInitialised) : IDisposable
{
    public void Dispose() => Model.Dispose();
}
