namespace IpIqa.Training.Training;

/// <summary>
/// The ranked images of one batch (<see cref="SwapRanking"/>): their positions in the batch, their prompts
/// (<see cref="SwapRanking.PromptsPerImage"/> per image, own first) and the margin of each swapped prompt.
/// </summary>
public sealed record SwapRankingDraw(long[] Rows, string[] Prompts, float[] Margins);
