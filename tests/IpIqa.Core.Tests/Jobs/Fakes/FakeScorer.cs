using System.Collections.Concurrent;
using System.Text;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;

namespace IpIqa.Core.Tests.Jobs.Fakes;

/// <summary>
/// Scores deterministically from the bytes and prompt (so a test can predict them), or fails
/// images whose bytes start with <c>BAD</c> with <c>image_undecodable</c>.
/// </summary>
public sealed class FakeScorer : IImageScorer
{
    public ModelInfo Model { get; init; } = new("fake-model", "0.0.1", "0123456789ab");

    public ConcurrentQueue<ScorerInput> Inputs { get; } = new();

    public Func<ScorerInput, CancellationToken, Task>? Before { get; init; }

    public static Scores Expected(ReadOnlySpan<byte> image, string prompt)
    {
        var sum = 0;
        foreach (var b in image)
        {
            sum += b;
        }

        return new Scores((sum % 1000) / 1000.0, (Encoding.UTF8.GetByteCount(prompt) % 100) / 100.0);
    }

    public async Task<ScorerOutcome> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        Inputs.Enqueue(input);
        if (Before is not null)
        {
            await Before(input, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (input.Image.Bytes.Span.StartsWith("BAD"u8))
        {
            return new ScorerOutcome(null, new ResultError("image_undecodable", $"Image '{input.Image.Name}' is corrupt."), Timings(TimeSpan.Zero, 0));
        }

        return new ScorerOutcome(Expected(input.Image.Bytes.Span, input.Prompt), null, Timings(TimeSpan.FromMilliseconds(2), 1));
    }

    private static ScoreTimings Timings(TimeSpan model, int batchSize) =>
        new(TimeSpan.Zero, TimeSpan.FromMilliseconds(1), TimeSpan.Zero, model, TimeSpan.FromMilliseconds(1) + model, batchSize);
}
