namespace IpIqa.Inference.Scoring;

/// <summary>
/// Where the prompt looked: the image graph's <c>attention</c> output for one item, the text-queried
/// pool's weights on the grid × grid feature map (row-major, top row first), averaged over heads.
/// The weight on the pool's mean token is not part of the map, so it sums to a little under 1.
/// </summary>
public sealed record AttentionMap(int Grid, float[] Weights)
{
    /// <summary>The weight of cell (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public float this[int row, int column] => Weights[(row * Grid) + column];
}
