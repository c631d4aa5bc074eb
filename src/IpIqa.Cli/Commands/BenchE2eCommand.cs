using System.CommandLine;
using System.Diagnostics;
using IpIqa.Cli.Benchmarks;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Contracts;
using IpIqa.Inference;
using IpIqa.Inference.Scoring;

namespace IpIqa.Cli.Commands;

/// <summary><c>ipiqa bench e2e</c>: the whole path (read, decode, preprocess, tokenise, batch, model) over a folder or manifest.</summary>
internal static class BenchE2eCommand
{
    public static Command Create()
    {
        var model = CliOptions.Model();
        var input = new Option<string>("--input", "-i") { Description = "A folder or manifest, as for 'ipiqa score'.", Required = true };
        var batchSize = CliOptions.BatchSize();
        var threads = CliOptions.Threads();
        var provider = CliOptions.Provider();
        var repeat = new Option<int>("--repeat") { Description = "Passes over the input after one warm-up pass.", DefaultValueFactory = _ => 3 };
        var command = new Command("e2e", "Time the whole scoring path over real images.") { model, input, batchSize, threads, provider, repeat };
        command.SetAction(async (parse, cancellationToken) => await RunAsync(
            parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(batchSize), parse.GetValue(threads), parse.GetValue(provider), parse.GetValue(repeat), Console.Out, cancellationToken));
        return command;
    }

    /// <summary>Writes the JSON report to <paramref name="output"/>; errors go to stderr.</summary>
    public static async Task<int> RunAsync(string folder, string input, int batchSize, int threads, ExecutionProvider provider, int repeat, TextWriter output, CancellationToken cancellationToken)
    {
        if (!CliOptions.CheckRanges(batchSize, threads) || repeat < 1)
        {
            if (repeat < 1)
            {
                Console.Error.WriteLine($"error: --repeat {repeat} must be at least 1.");
            }

            return 2;
        }

        try
        {
            var inputs = ScoreInputReader.Read(input).Where(i => i.ProblemCode is null).ToArray();
            if (inputs.Length == 0)
            {
                Console.Error.WriteLine($"error: '{input}' holds no image with a prompt.");
                return 2;
            }

            using var loggers = CliEngine.CreateLoggerFactory();
            await using var loaded = CliEngine.Load(folder, batchSize, threads, provider, loggers);
            await PassAsync(loaded.Engine, inputs, new StageTimes(), cancellationToken);
            var stages = new StageTimes();
            var watch = Stopwatch.StartNew();
            var failures = 0;
            for (var i = 0; i < repeat; i++)
            {
                failures += await PassAsync(loaded.Engine, inputs, stages, cancellationToken);
            }

            var report = BenchReport.Create("e2e", loaded.Engine.Model, loaded.Engine.ExecutionProviderName, batchSize, threads, inputs.Length * repeat, watch.Elapsed) with { Stages = stages };
            output.WriteLine(report.ToJson());
            if (failures > 0)
            {
                Console.Error.WriteLine($"warning: {failures} items failed during the timed passes.");
            }

            return 0;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The command boundary: report anything unforeseen as one line, never a crash.
            Console.Error.WriteLine($"error: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> PassAsync(ScoringEngine engine, IReadOnlyList<ScoreInput> inputs, StageTimes stages, CancellationToken cancellationToken)
    {
        var failures = 0;
        await foreach (var outcome in ScoreRunner.ScoreInOrderAsync(engine, inputs, Thresholds.None, cancellationToken))
        {
            failures += outcome.Error is null ? 0 : 1;
            stages.Add(outcome.Timings);
        }

        return failures;
    }
}
