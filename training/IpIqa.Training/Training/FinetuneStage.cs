using IpIqa.Model;
using IpIqa.Training.Data;
using IpIqa.Training.Import;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace IpIqa.Training.Training;

/// <summary>
/// <c>finetune</c>: IQA fine-tuning as in the official configs. MSE on [quality, alignment] (quality only
/// for quality-only sets such as AGIQA-1k); the text tower frozen except the token embeddings (eot) or the
/// [QA] token (qa_token); head lr x head_scale; AdamW; random horizontal flips. Each of K prompt-disjoint
/// splits trains a fresh model from the same start. Protocol <c>official</c> selects the epoch on the
/// held-out prompts; <c>honest</c> selects it on validation prompts carved from training and touches the
/// held-out prompts once, with the selected weights.
/// </summary>
public static class FinetuneStage
{
    public const string Name = "finetune";

    private static readonly string[] TextTower = ["txt_model.", "wte.", "ln_final.", "txt_pos", "text_projection", "qa_token"];

    public static IReadOnlyList<SplitResult> Run(StageInputs inputs, TrainingOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        // config
        options.Validate();
        var start = inputs.Init is not null ? IpIqaConfig.Load(Path.Combine(inputs.Init, TorchCheckpoint.ConfigFile))
            : inputs.ModelConfig is not null ? IpIqaConfig.Load(inputs.ModelConfig)
            : throw new InvalidDataException("Give --init (a checkpoint folder) or --model-config (an architecture JSON).");

        // data
        var data = StageData.Load(inputs, start.InputResolution, start.ContextLength, options.Device);
        var outputs = data.Dataset.HasAlignment ? 2 : 1;
        if ((options.MismatchProbability > 0 || options.AttributeSwapProbability > 0 || options.SwapRankingWeight > 0) && outputs < 2)
        {
            throw new InvalidDataException($"{data.Dataset.Source}: mismatch_probability, attribute_swap_probability and swap_ranking_weight need an alignment MOS, which this data set lacks.");
        }

        var splits = PromptSplitter.Split(data.Dataset.Samples, Protocol(options));
        log.WriteLine($"{Name}: {data.Dataset.Samples.Count} samples, {outputs} output(s), protocol {options.Protocol}, {splits.Count} split(s)");

        var results = splits.Select(split => RunSplit(inputs, options, data, split, outputs, log, cancellationToken)).ToArray();
        FinetuneSummary.Write(inputs.RunFolder, options, results, log);
        return results;
    }

    /// <summary>The prompt-disjoint splits of a fine-tuning run: with a validation part under the honest protocol.</summary>
    public static SplitProtocol Protocol(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Protocol == "honest"
            ? new SplitProtocol(options.Splits, options.SplitSeed, options.TestFraction, options.ValidationFraction)
            : new SplitProtocol(options.Splits, options.SplitSeed, options.TestFraction);
    }

    /// <summary>
    /// Fine-tuning trains everything but the text tower; of the text tower only the token embeddings
    /// (<c>eot</c>) or the [QA] token (<c>qa_token</c>) train, and only when <paramref name="trainTextToken"/>.
    /// </summary>
    public static bool IsTrainable(string name, IpIqaConfig config, bool trainTextToken)
    {
        var token = config.TextFeature == IpIqaConfig.TextFeatureQaToken ? "qa_token" : "wte.weight";
        return !TextTower.Any(name.StartsWith) || (trainTextToken && name == token);
    }

    /// <summary>
    /// The mismatched-prompt sampler of a split's training samples, or null when mismatch_probability and
    /// attribute_swap_probability are 0. Attribute swaps read the synth table <paramref name="tablePath"/>.
    /// </summary>
    public static MismatchedPrompts? Negatives(TrainingOptions options, IReadOnlyList<IqaSample> train, int repeat, TextWriter log, string? tablePath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MismatchProbability <= 0 && options.AttributeSwapProbability <= 0)
        {
            return null;
        }

        var target = options.MismatchAlignment ?? train.Min(s => s.Alignment ?? double.PositiveInfinity);
        log.WriteLine($"{Name}: mismatched-prompt negatives with probability {options.MismatchProbability}, alignment target {target:F3}");
        AttributeSwapNegatives? swaps = null;
        if (options.AttributeSwapProbability > 0)
        {
            var weights = AttributeSwapWeights.Resolve(options.SwapWeights);
            swaps = AttributeSwapNegatives.Load(train, tablePath ?? throw new InvalidDataException("attribute_swap_probability needs the synth data table."), options.AttributeSwapProbability, weights);
            var mix = weights is null ? "equally likely" : string.Join(", ", AttributeSwapWeights.Keys.Zip(weights, (k, w) => $"{k} {w:G3}"));
            log.WriteLine($"{Name}: attribute-swap negatives (shape, colour, count, position or style: {mix}; the formula's target) with probability {options.AttributeSwapProbability} on {swaps.Count} aligned images");
        }

        return new MismatchedPrompts(train, options.MismatchProbability, target, SeedMix.Combine(options.Seed, repeat, 2), swaps);
    }

    /// <summary>The swap-ranking term of a split's training samples (#14), or null when swap_ranking_weight is 0.</summary>
    public static SwapRanking? Ranking(TrainingOptions options, IReadOnlyList<IqaSample> train, int repeat, TextWriter log, string? tablePath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        if (options.SwapRankingWeight <= 0)
        {
            return null;
        }

        var ranking = SwapRanking.Load(train, tablePath ?? throw new InvalidDataException("swap_ranking_weight needs the synth data table."), options.SwapRankingMargin, SeedMix.Combine(options.Seed, repeat, 3));
        log.WriteLine($"{Name}: swap ranking (own prompt above each one-attribute swap by {options.SwapRankingMargin} x the formula's gap), weight {options.SwapRankingWeight}, on {ranking.Count} aligned images");
        return ranking;
    }

    private static SplitResult RunSplit(StageInputs inputs, TrainingOptions options, StageData data, DatasetSplit split, int outputs, TextWriter log, CancellationToken cancellationToken)
    {
        var runFolder = Path.Combine(inputs.RunFolder, $"split-{split.Repeat}");
        random.manual_seed(SeedMix.Combine(options.Seed, split.Repeat));

        // model
        using var model = TrainingCheckpoint.LoadModel(inputs.Init, inputs.ModelConfig, c => c with { Dropout = options.Dropout ?? c.Dropout, OutputDim = outputs });
        model.to(new Device(options.Device));
        var groups = new ParameterGroups(model.named_parameters(), name => IsTrainable(name, model.Config, options.TrainTextToken), options.HeadScale, options.ImageLearningRateScale);

        // data of this split
        var train = data.Set("train", split.Train);
        var test = data.Set("test", split.Test);
        var selection = options.Protocol == "honest" ? data.Set("val", split.Validation) : test;
        var negatives = Negatives(options, split.Train, split.Repeat, log, inputs.Data);
        var ranking = Ranking(options, split.Train, split.Repeat, log, inputs.Data);

        // loop
        var loop = new TrainingLoop($"{Name}[{split.Repeat}]", options, runFolder, model, groups)
        {
            StepLoss = (batch, generator) =>
            {
                var pixels = train.Pixels(batch, cancellationToken);
                if (options.HorizontalFlip)
                {
                    pixels = SampleSet.RandomHorizontalFlip(pixels, generator);
                }

                var prompts = negatives?.Draw(batch);
                var targets = prompts is null ? train.Targets(batch, outputs)
                    : stack([train.Targets(batch, 1).squeeze(1), tensor(prompts.Alignment.Select(a => (float)a).ToArray()).to(pixels.device)], 1);
                var tokens = train.Tokens(prompts?.Prompts ?? batch.Select(i => train.Samples[i].Prompt));
                var ranked = ranking?.Draw(train.Samples, batch);
                if (ranked is null || ranked.Rows.Length == 0)
                {
                    return mse_loss(model.forward(pixels, tokens), targets);
                }

                // one image-tower pass: the batch's own pairs, then each ranked image with its own and swapped prompts
                var rows = Enumerable.Range(0, batch.Length).Select(i => (long)i).Concat(ranked.Rows.SelectMany(r => Enumerable.Repeat(r, SwapRanking.PromptsPerImage)));
                var scores = model.ForwardPairs(pixels, cat([tokens, train.Tokens(ranked.Prompts)], 0), tensor(rows.ToArray()).to(pixels.device));
                var regression = mse_loss(scores.narrow(0, 0, batch.Length), targets);
                var rank = SwapRanking.Loss(scores.narrow(0, batch.Length, ranked.Prompts.Length).select(1, 1), ranked.Margins);
                return regression.Plus(rank.Times(options.SwapRankingWeight));
            },
            Evaluate = () =>
            {
                var predictions = IqaPredictor.Predict(model, selection, outputs, options.EvalBatchSize, cancellationToken);
                return new EpochEvaluation(selection.Name, predictions.Loss, predictions, predictions.Score);
            },
        };
        var state = loop.Run(train, inputs.Resume, log, cancellationToken);

        // the held-out prompts, scored once with the selected weights
        using var best = TorchCheckpoint.Load(loop.BestPath);
        best.to(new Device(options.Device));
        var heldOut = IqaPredictor.Predict(best, test, outputs, options.EvalBatchSize, cancellationToken);
        PredictionsCsv.Write(Path.Combine(runFolder, "test_predictions.csv"), heldOut);
        File.WriteAllText(Path.Combine(runFolder, "test_metrics.json"), MetricsJson.Of(heldOut).ToJsonString(new() { WriteIndented = true }));
        RunPlots.Write(runFolder, heldOut);
        return new SplitResult(split.Repeat, state.BestEpoch ?? -1, Enumerable.Range(0, outputs).Select(heldOut.Metrics).ToArray());
    }
}
