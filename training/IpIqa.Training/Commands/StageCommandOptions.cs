using System.CommandLine;
using IpIqa.Training.Data;
using IpIqa.Training.Training;

namespace IpIqa.Training.Commands;

/// <summary>
/// The options every training stage takes: data, vocabulary, starting model, run folder, a JSON config of
/// hyperparameters (<see cref="TrainingOptions"/>) and command-line overrides of the common ones.
/// </summary>
internal sealed class StageCommandOptions
{
    private readonly Option<FileInfo> _data = new("--data") { Description = "Data table (AGIQA-3k data.csv, AGIQA-1k xlsx, or a plain CSV).", Required = true };
    private readonly Option<DirectoryInfo> _images = new("--images") { Description = "Folder of the images the table names.", Required = true };
    private readonly Option<string> _kind = new("--kind") { Description = "Table layout: agiqa3k (also the synthetic set), agiqa1k or csv.", DefaultValueFactory = _ => "agiqa3k" };
    private readonly Option<FileInfo> _vocab = new("--vocab") { Description = "CLIP BPE vocabulary (bpe_simple_vocab_16e6.txt.gz).", Required = true };
    private readonly Option<DirectoryInfo?> _init = new("--init") { Description = "Checkpoint folder to start from (a stage's best/, or ipiqa-train import's output)." };
    private readonly Option<FileInfo?> _modelConfig = new("--model-config") { Description = "Architecture JSON for a model from scratch (when there is no --init)." };
    private readonly Option<FileInfo?> _config = new("--config") { Description = "Training config JSON (snake_case hyperparameters; see docs/training.md)." };
    private readonly Option<DirectoryInfo> _out = new("--out") { Description = "Run folder: metrics.csv, plots, checkpoint/, best/.", Required = true };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue from RUN/checkpoint when it exists." };
    private readonly Option<int?> _epochs = new("--epochs") { Description = "Override epochs." };
    private readonly Option<int?> _batchSize = new("--batch-size") { Description = "Override batch_size." };
    private readonly Option<double?> _lr = new("--lr") { Description = "Override lr." };
    private readonly Option<int?> _seed = new("--seed") { Description = "Override seed." };
    private readonly Option<int?> _maxSteps = new("--max-steps") { Description = "Stop after this many optimiser steps." };
    private readonly Option<int?> _threads = new("--threads") { Description = "TorchSharp intra-op threads." };

    public StageCommandOptions()
    {
        _kind.AcceptOnlyFromAmong("agiqa3k", "agiqa1k", "csv");
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _data, _images, _kind, _vocab, _init, _modelConfig, _config, _out, _resume, _epochs, _batchSize, _lr, _seed, _maxSteps, _threads })
        {
            command.Options.Add(option);
        }
    }

    public StageInputs Inputs(ParseResult parse) => new(
        parse.GetValue(_data)!.FullName,
        parse.GetValue(_images)!.FullName,
        parse.GetValue(_kind) switch { "agiqa1k" => DatasetKind.Agiqa1k, "csv" => DatasetKind.PlainCsv, _ => DatasetKind.Agiqa3k },
        parse.GetValue(_vocab)!.FullName,
        parse.GetValue(_init)?.FullName,
        parse.GetValue(_modelConfig)?.FullName,
        parse.GetValue(_out)!.FullName,
        parse.GetValue(_resume));

    /// <summary>The config file's options (defaults without one) with the command line's overrides applied.</summary>
    public TrainingOptions Options(ParseResult parse, Func<TrainingOptions, TrainingOptions>? stage = null)
    {
        var options = parse.GetValue(_config) is { } file ? TrainingOptions.Load(file.FullName) : new TrainingOptions();
        options = stage?.Invoke(options) ?? options;
        return options with
        {
            Epochs = parse.GetValue(_epochs) ?? options.Epochs,
            BatchSize = parse.GetValue(_batchSize) ?? options.BatchSize,
            LearningRate = parse.GetValue(_lr) ?? options.LearningRate,
            Seed = parse.GetValue(_seed) ?? options.Seed,
            MaxSteps = parse.GetValue(_maxSteps) ?? options.MaxSteps,
            Threads = parse.GetValue(_threads) ?? options.Threads,
        };
    }
}
