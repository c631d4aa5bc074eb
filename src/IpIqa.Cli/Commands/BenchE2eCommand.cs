using System.CommandLine;
using IpIqa.Inference;
using IpIqa.Cli.Benchmarks;
using IpIqa.Cli.Scoring;
using IpIqa.Core.Jobs;
using IpIqa.Imaging.Benchmarks;
using IpIqa.Inference.Scoring;
using IpIqa.Rescoring;

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
        var repeat = new Option<int>("--repeat") { Description = "Timed passes over the input after one warm-up pass.", DefaultValueFactory = _ => 3 };
        var images = new Option<int>("--images") { Description = "Time this many images instead, cycling through the input (0: --repeat passes)." };
        var memoryEvery = new Option<int>("--memory-every") { Description = "Sample the process's memory every this many timed images (0: never)." };
        var preprocessThreads = new Option<int>("--preprocess-threads") { Description = "Images decoded at once (0: as many as --threads)." };
        var noTextCache = new Option<bool>("--no-text-cache") { Description = "Encode every prompt in every batch, as the official forward does." };
        var spin = new Option<bool>("--spin") { Description = "ONNX Runtime's intra-op threads spin while idle instead of sleeping." };
        var command = new Command("e2e", "Time the whole scoring path over real images.")
        {
            model, input, batchSize, threads, provider, repeat, images, memoryEvery, preprocessThreads, noTextCache, spin,
        };
        command.SetAction(async (parse, cancellationToken) => await RunAsync(
            new E2eSettings(parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(batchSize), parse.GetValue(threads), parse.GetValue(provider))
            {
                Repeat = parse.GetValue(repeat),
                Images = parse.GetValue(images),
                MemoryEvery = parse.GetValue(memoryEvery),
                PreprocessThreads = parse.GetValue(preprocessThreads),
                CacheText = !parse.GetValue(noTextCache),
                Spinning = parse.GetValue(spin),
            },
            Console.Out,
            cancellationToken));
        return command;
    }

    /// <summary>Writes the JSON report to <paramref name="output"/>; errors go to stderr.</summary>
    public static async Task<int> RunAsync(E2eSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        if (!CliOptions.CheckRanges(settings.BatchSize, settings.Threads))
        {
            return 2;
        }

        if (settings.Problem() is { } problem)
        {
            Console.Error.WriteLine($"error: {problem}");
            return 2;
        }

        try
        {
            var inputs = (await ScoreInputReader.ReadAsync(settings.Input, cancellationToken).ConfigureAwait(false)).Where(i => i.ProblemCode is null).ToArray();
            if (inputs.Length == 0)
            {
                Console.Error.WriteLine($"error: '{settings.Input}' holds no image with a prompt.");
                return 2;
            }

            using var loggers = CliEngine.CreateLoggerFactory();
            await using var loaded = CliEngine.Load(
                settings.Model, settings.BatchSize, settings.Threads, settings.Provider, loggers, settings.EffectivePreprocessThreads, settings.CacheText, settings.Spinning);
            var memory = settings.MemoryEvery > 0 ? new List<MemorySample> { MemorySample.Take(0, "loaded") } : null;
            var cold = new StageTimes();
            await PassAsync(loaded.Engine, inputs, cold, memory: null, every: 0, cancellationToken);
            memory?.Add(MemorySample.Take(0, "warm"));

            var timed = settings.Images > 0
                ? Enumerable.Range(0, settings.Images).Select(i => inputs[i % inputs.Length]).ToArray()
                : Enumerable.Repeat(inputs, settings.Repeat).SelectMany(pass => pass).ToArray();
            var stages = new StageTimes();
            var clock = BenchClock.Start();
            var failures = await PassAsync(loaded.Engine, timed, stages, memory, settings.MemoryEvery, cancellationToken);
            var elapsed = clock.Read();
            var gc = GcSnapshot.Since(elapsed.GcStarted, timed.Length);
            memory?.Add(MemorySample.Take(timed.Length, "end"));

            var report = BenchReport.Create("e2e", loaded.Engine.Model, loaded.Engine.ExecutionProviderName, settings.BatchSize, settings.Threads, timed.Length, elapsed) with
            {
                Stages = stages,
                MeanBatchSize = stages.MeanBatchSize,
                ColdMeanBatchSize = cold.MeanBatchSize,
                Gc = gc,
                CacheText = settings.CacheText,
                Spinning = settings.Spinning,
                Failures = failures,
                Memory = memory,
            };
            output.WriteLine(report.ToJson());
            if (failures > 0)
            {
                Console.Error.WriteLine($"warning: {failures} items failed during the timed run.");
            }

            return 0;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ExecutionProviderUnavailableException)
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

    private static async Task<int> PassAsync(
        ScoringEngine engine, IReadOnlyList<ScoreInput> inputs, StageTimes stages, List<MemorySample>? memory, int every, CancellationToken cancellationToken)
    {
        var failures = 0;
        var done = 0;
        // The engine alone (what the worker's and score's ScoringService call), so that the stage times include the batch queue.
        var requests = inputs.Where(i => i.ProblemCode is null).Select(i => new ScorerInput(ImageInput.FromFile(i.ImagePath, i.Image), i.Prompt!));
        await foreach (var outcome in engine.ScoreAllAsync(requests, cancellationToken))
        {
            failures += outcome.IsSuccess ? 0 : 1;
            stages.Add(outcome.Timings);
            done++;
            if (memory is not null && every > 0 && done % every == 0 && done < inputs.Count)
            {
                memory.Add(MemorySample.Take(done, "run"));
            }
        }

        return failures;
    }
}
