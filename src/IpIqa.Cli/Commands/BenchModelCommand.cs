using System.CommandLine;
using IpIqa.Cli.Benchmarks;
using IpIqa.Inference;
using IpIqa.Inference.Bundles;
using IpIqa.Inference.Onnx;
using IpIqa.Cli.Scoring;
using Microsoft.Extensions.Logging;

namespace IpIqa.Cli.Commands;

/// <summary><c>ipiqa bench model</c>: the image graph alone on synthetic inputs, at a fixed batch size.</summary>
internal static class BenchModelCommand
{
    public static Command Create()
    {
        var model = CliOptions.Model();
        var batchSize = CliOptions.BatchSize();
        var threads = CliOptions.Threads();
        var provider = CliOptions.Provider();
        var iterations = new Option<int>("--iterations") { Description = "Timed batches (after 3 warm-up batches).", DefaultValueFactory = _ => 20 };
        var command = new Command("model", "Time the image graph on random pixels (no decoding).") { model, batchSize, threads, provider, iterations };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(batchSize), parse.GetValue(threads), parse.GetValue(provider), parse.GetValue(iterations), Console.Out));
        return command;
    }

    /// <summary>Writes the JSON report to <paramref name="output"/>; errors go to stderr.</summary>
    public static int Run(string folder, int batchSize, int threads, ExecutionProvider provider, int iterations, TextWriter output)
    {
        if (!CliOptions.CheckRanges(batchSize, threads) || iterations < 1)
        {
            if (iterations < 1)
            {
                Console.Error.WriteLine($"error: --iterations {iterations} must be at least 1.");
            }

            return 2;
        }

        try
        {
            using var loggers = CliEngine.CreateLoggerFactory();
            var bundle = ModelBundleLoader.Load(folder);
            using var session = new OnnxModelSession(bundle, new ModelOptions { BundlePath = folder, IntraOpThreads = threads, ExecutionProvider = provider }, batchSize, loggers.CreateLogger<OnnxModelSession>());
            var random = new Random(1234);
            var pixels = Enumerable.Range(0, batchSize).Select(_ => Enumerable.Range(0, session.Preprocess.TensorLength).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
            var ids = Enumerable.Range(0, batchSize).Select(i => SyntheticIds(session.ContextLength, i)).ToArray();
            var text = new float[batchSize * session.EmbedDim];
            var scores = new float[batchSize * session.Outputs.Count];
            session.EncodeText(ids, text);
            for (var i = 0; i < 3; i++)
            {
                session.Score(pixels, text, scores);
            }

            var clock = BenchClock.Start();
            for (var i = 0; i < iterations; i++)
            {
                session.Score(pixels, text, scores);
            }

            var report = BenchReport.Create("model", session.Identity, session.ExecutionProviderName, batchSize, threads, batchSize * iterations, clock.Read())
                with { Precision = bundle.Manifest.Graphs.Image.EffectivePrecision };
            output.WriteLine(report.ToJson());
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

    /// <summary>Start token, a few ordinary word ids that differ per prompt, end token, padding.</summary>
    private static long[] SyntheticIds(int contextLength, int index)
    {
        var ids = new long[contextLength];
        ids[0] = 49406;
        ids[1] = 320;
        ids[2] = 1000 + index;
        ids[3] = 49407;
        return ids;
    }
}
