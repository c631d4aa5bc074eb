namespace IpIqa.Training.Data.Synthetic;

/// <summary>Draws the degradations of one image, and the scene actually drawn for a prompt's scene.</summary>
internal static class ControlSampler
{
    /// <summary>Each degradation applies with probability 0.35, at a uniformly drawn strength.</summary>
    public static QualityControls Quality(Random random)
    {
        const double p = 0.35;
        return new QualityControls(
            BlurSigma: random.NextDouble() < p ? Math.Round(0.3 + (2.7 * random.NextDouble()), 2) : 0,
            NoiseSigma: random.NextDouble() < p ? Math.Round(3 + (37 * random.NextDouble()), 1) : 0,
            JpegQuality: random.NextDouble() < p ? random.Next(5, 61) : null,
            PosterizeLevels: random.NextDouble() < p ? random.Next(2, 17) : null,
            DownscaleFactor: random.NextDouble() < p ? Math.Round(1.5 + (4.5 * random.NextDouble()), 2) : 1);
    }

    /// <summary>Half the images follow the prompt; the others get one deviation, and a quarter of those a second.</summary>
    public static (AlignmentControls Controls, SceneSpec Rendered) Alignment(SceneSpec prompt, Random random)
    {
        if (random.NextDouble() < 0.5)
        {
            return (AlignmentControls.None, prompt);
        }

        var kinds = new List<int> { random.Next(4) };
        if (random.NextDouble() < 0.25)
        {
            kinds.Add(PromptGrammar.PickOther(random, [0, 1, 2, 3], kinds[0]));
        }

        if (kinds.Contains(3))
        {
            return (new AlignmentControls(MissingObject: true), prompt with { Count = 0 });
        }

        var rendered = prompt;
        var controls = AlignmentControls.None;
        if (kinds.Contains(0))
        {
            rendered = rendered with { Color = PromptGrammar.PickOther(random, SceneColor.Palette, prompt.Color) };
            controls = controls with { WrongColor = true };
        }

        if (kinds.Contains(1))
        {
            rendered = rendered with { Shape = PromptGrammar.PickOther(random, Enum.GetValues<ShapeKind>(), prompt.Shape) };
            controls = controls with { WrongObject = true };
        }

        if (kinds.Contains(2))
        {
            var counts = Enumerable.Range(1, PromptGrammar.MaxCount).ToArray();
            rendered = rendered with { Count = PromptGrammar.PickOther(random, counts, prompt.Count) };
            controls = controls with { CountError = rendered.Count - prompt.Count };
        }

        return (controls, rendered);
    }
}
