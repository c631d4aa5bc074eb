using System.Diagnostics;
using IpIqa.Model;
using IpIqa.Core.Progress;
using IpIqa.Training.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IpIqa.Training.Training;

/// <summary>
/// The loop every stage shares: epochs of shuffled batches, one optimiser step per batch under its own
/// dispose scope, the learning-rate schedule, an evaluation after each epoch (under no_grad and eval()),
/// metrics.csv, a progress line, the latest checkpoint (<c>checkpoint/</c>) and the best one (<c>best/</c>).
/// </summary>
public sealed class TrainingLoop(string stage, TrainingOptions options, string runFolder, IpIqaModel model, ParameterGroups groups)
{
    public const string LatestFolder = "checkpoint";
    public const string BestFolder = "best";

    /// <summary>Within an epoch, a progress line at most this often, and one per tenth of its steps (#15).</summary>
    private static readonly TimeSpan WithinEpochInterval = TimeSpan.FromSeconds(30);

    /// <summary>The scalar loss of one batch; called in training mode inside a dispose scope.</summary>
    public required Func<int[], Generator, Tensor> StepLoss { get; init; }

    /// <summary>The held-out evaluation after each epoch; called in eval mode under no_grad.</summary>
    public required Func<EpochEvaluation> Evaluate { get; init; }

    /// <summary>Scalars to keep in the checkpoint beside the model (e.g. the logit scale).</summary>
    public Func<Dictionary<string, double>> Extra { get; init; } = () => [];

    /// <summary>Where an <c>--init</c> or resumed run sets those scalars back.</summary>
    public Action<IReadOnlyDictionary<string, double>> RestoreExtra { get; init; } = _ => { };

    /// <summary>Extra parameters optimised with the model's (no weight decay, body learning rate).</summary>
    public IReadOnlyList<Parameter> ExtraParameters { get; init; } = [];

    /// <summary>The clock of the progress lines within an epoch.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string LatestPath => Path.Combine(runFolder, LatestFolder);

    public string BestPath => Path.Combine(runFolder, BestFolder);

    public TrainingState Run(SampleSet train, bool resume, TextWriter log, CancellationToken cancellationToken)
    {
        // optimiser, schedule
        if (options.Threads > 0)
        {
            set_num_threads(options.Threads);
        }

        Directory.CreateDirectory(runFolder);
        using var optimizer = groups.CreateAdamW(options, ExtraParameters);
        var batchesPerEpoch = train.ShuffledBatches(options.BatchSize, options.Seed, 0).Count;
        if (batchesPerEpoch == 0)
        {
            throw new InvalidDataException($"{stage}: the training split has {train.Count} sample(s); a batch needs at least 2.");
        }

        var totalSteps = options.Epochs * batchesPerEpoch;
        if (options.MaxSteps > 0)
        {
            totalSteps = Math.Min(totalSteps, options.MaxSteps);
        }

        var schedule = LearningRateSchedule.From(options, totalSteps);

        // resume
        var state = new TrainingState { Stage = stage, Options = options };
        if (resume && TrainingCheckpoint.Exists(LatestPath))
        {
            state = TrainingCheckpoint.ReadState(LatestPath);
            if (state.Stage != stage)
            {
                throw new InvalidDataException($"{LatestPath}: the checkpoint is of stage '{state.Stage}', not '{stage}'.");
            }

            using (var saved = Import.TorchCheckpoint.Load(LatestPath))
            {
                saved.to(model.parameters().First().device);
                model.load_state_dict(saved.state_dict());
            }

            TrainingCheckpoint.LoadOptimizer(LatestPath, optimizer);
            RestoreExtra(state.Extra);
            state = state with { Options = options };
            log.WriteLine($"{stage}: resumed at epoch {state.Epoch}, step {state.Step} from {LatestPath}");
        }

        var metrics = new MetricsLog(runFolder, resume ? state.Step : null);
        log.WriteLine($"{stage}: {train.Count} training samples, {batchesPerEpoch} steps/epoch, {totalSteps} steps, {groups.TrainableCount + ExtraParameters.Sum(p => p.numel()):N0} trainable parameters");

        // loop
        var clock = Stopwatch.StartNew();
        var stepsThisRun = 0;
        for (var epoch = state.Epoch; epoch < options.Epochs && state.Step < totalSteps; epoch++)
        {
            random.manual_seed(SeedMix.Combine(options.Seed, epoch));
            using var generator = new Generator(device: CPU).manual_seed(SeedMix.Combine(options.Seed, epoch, 1));
            model.train();
            double lossSum = 0;
            var lossCount = 0;
            var images = 0;
            var epochClock = Stopwatch.StartNew();
            var lr = schedule.At(state.Step);
            var stepsInEpoch = (int)Math.Min(batchesPerEpoch, totalSteps - state.Step);
            var within = new CountProgressLines(log, $"{stage} epoch {epoch + 1}/{options.Epochs}", stepsInEpoch, WithinEpochInterval, Time, tenths: true);
            var stepInEpoch = 0;
            foreach (var batch in train.ShuffledBatches(options.BatchSize, options.Seed, epoch))
            {
                if (state.Step >= totalSteps)
                {
                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                lr = schedule.At(state.Step);
                groups.SetLearningRate(optimizer, lr, imageFrozen: epoch < options.FreezeImageEpochs);
                optimizer.zero_grad();
                var loss = StepLoss(batch, generator);
                loss.backward();
                if (options.GradClip > 0)
                {
                    nn.utils.clip_grad_norm_(groups.Parameters.Concat(ExtraParameters), options.GradClip);
                }

                optimizer.step();
                var value = loss.item<float>();
                if (!float.IsFinite(value))
                {
                    throw new InvalidOperationException($"{stage}: the loss is {value} at step {state.Step} (epoch {epoch}); lower lr (now {lr:G3}).");
                }

                lossSum += value;
                lossCount++;
                images += batch.Length;
                state = state with { Step = state.Step + 1 };
                stepsThisRun++;
                within.Report(++stepInEpoch);
            }

            var trainLoss = lossSum / Math.Max(lossCount, 1);
            metrics.Add(state.Step, epoch, "train", trainLoss, lr);

            // evaluation
            model.eval();
            EpochEvaluation evaluation;
            using (no_grad())
            {
                evaluation = Evaluate();
            }

            metrics.Add(state.Step, epoch, evaluation.Split, evaluation.Loss, lr, evaluation.Predictions);
            var improved = state.BestScore is null || evaluation.Score > state.BestScore;
            state = state with
            {
                Epoch = epoch + 1,
                BestScore = improved ? evaluation.Score : state.BestScore,
                BestEpoch = improved ? epoch : state.BestEpoch,
                Extra = Extra(),
            };

            // checkpoints
            if (improved)
            {
                TrainingCheckpoint.Save(BestPath, model, null, state);
            }

            TrainingCheckpoint.Save(LatestPath, model, optimizer, state);
            var perSecond = images / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9);
            var remainingSteps = totalSteps - state.Step;
            var eta = stepsThisRun == 0 ? TimeSpan.Zero : clock.Elapsed / stepsThisRun * remainingSteps;
            log.WriteLine(ProgressLine.Format(stage, epoch, options.Epochs, state.Step, trainLoss, lr, evaluation, perSecond, eta, improved));
        }

        RunPlots.LearningCurve(metrics.FilePath, Path.Combine(runFolder, RunPlots.LearningCurveFile));
        log.WriteLine($"{stage}: done in {clock.Elapsed.TotalMinutes:F1} min; best epoch {state.BestEpoch + 1} of {options.Epochs} (score {state.BestScore:F4}) in {BestPath}");
        return state;
    }
}
