using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IpIqa.Core.Contracts;
using IpIqa.Core.Errors;
using IpIqa.Inference.Tests.Support;
using IpIqa.Rescoring;
using IpIqa.TestSupport;
using IpIqa.Worker.Tests.Support;

namespace IpIqa.Worker.Tests.EndToEnd;

/// <summary>
/// One manifest through every front door: the worker (local transport, drained), <c>ipiqa score</c>,
/// <c>ipiqa rescore</c> and the HTTP API, all with the reference bundle and the same quality threshold. They share one
/// scoring service and one result contract, so each input gets the same result from each: the same
/// JSONL line from the worker and from <c>score</c> (but for when it ran and how long it took), and
/// the same result columns from <c>score</c> and <c>rescore</c>. Scores may differ in the last bits,
/// because batches form differently in each process.
/// </summary>
public sealed class OneScoringPathTests
{
    private const double Tolerance = 1e-4;

    [FixtureFact(ReferenceBundle.Safetensors, ReferenceBundle.Manifest, ReferenceBundle.Vocab, "ipiqa-reference/images/img00.jpg")]
    public async Task Every_front_door_gives_each_input_the_same_result()
    {
        using var bundle = new ReferenceBundle();
        using var work = new TempDirectory("ipiqa-one-path");
        var images = work.Combine("images");
        Directory.CreateDirectory(images);
        var samples = ReferenceBundle.Samples().Take(4).ToArray();
        var entries = new List<(string Image, string? Prompt)>();
        foreach (var (image, prompt, _) in samples)
        {
            File.Copy(image, Path.Combine(images, Path.GetFileName(image)));
            entries.Add((Path.GetFileName(image), prompt));
        }

        File.WriteAllBytes(Path.Combine(images, "broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        File.Copy(samples[0].Image, Path.Combine(images, "no-prompt.jpg"));
        entries.Add(("broken.png", "a broken file"));
        entries.Add(("missing.png", "no such file"));
        entries.Add(("no-prompt.jpg", null));

        // A threshold between the reference scores, so that both verdicts occur.
        var quality = ReferenceBundle.Scores().Where((_, i) => i % 2 == 0).Take(samples.Length).Order().ToArray();
        var threshold = ((quality[1] + quality[2]) / 2).ToString("R", CultureInfo.InvariantCulture);

        var manifest = Path.Combine(images, "manifest.jsonl");
        File.WriteAllLines(manifest, entries.Select(e => e.Prompt is null
            ? JsonSerializer.Serialize(new { image = e.Image })
            : JsonSerializer.Serialize(new { image = e.Image, prompt = e.Prompt })));
        var jobs = work.Combine("jobs.jsonl");
        File.WriteAllLines(jobs, entries.Select(e => e.Prompt is null
            ? JsonSerializer.Serialize(new { jobId = e.Image, image = new { path = e.Image } })
            : JsonSerializer.Serialize(new { jobId = e.Image, image = new { path = e.Image }, prompt = e.Prompt })));

        var worker = await RunWorkerAsync(bundle.Folder, work, jobs, images, threshold);
        await RunCliAsync("score", "--model", bundle.Folder, "--input", manifest, "--out", work.Combine("score.jsonl"), "--quality-threshold", threshold);
        await RunCliAsync("score", "--model", bundle.Folder, "--input", manifest, "--out", work.Combine("score.csv"), "--quality-threshold", threshold);
        await RunCliAsync("rescore", "--model", bundle.Folder, "--manifest", manifest, "--runs", work.Combine("runs"), "--quality-threshold", threshold);

        var fromWorker = JsonLines(worker);
        var fromScore = JsonLines(work.Combine("score.jsonl"));
        Assert.Equal(entries.Select(e => e.Image).Order(), fromWorker.Keys.Order());
        Assert.Equal(entries.Select(e => e.Image).Order(), fromScore.Keys.Order());
        Assert.Contains(fromScore.Values, l => l["verdict"]?["outcome"]?.GetValue<string>() == Verdict.Pass);
        Assert.Contains(fromScore.Values, l => l["verdict"]?["outcome"]?.GetValue<string>() == Verdict.Fail);
        Assert.Equal(ErrorCodes.ImageNotFound, fromScore["missing.png"]["error"]!["code"]!.GetValue<string>());
        Assert.Equal(ErrorCodes.PromptMissing, fromScore["no-prompt.jpg"]["error"]!["code"]!.GetValue<string>());
        Assert.StartsWith("image_", fromScore["broken.png"]["error"]!["code"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var (job, line) in fromScore)
        {
            SameLine(job, fromWorker[job], line.DeepClone().AsObject());
        }

        // The HTTP API: every entry with a file, sent inline; its results name the image by its item.
        var inline = entries.Where(e => File.Exists(Path.Combine(images, e.Image))).ToArray();
        var fromHttp = await RunHttpAsync(bundle.Folder, work, threshold, inline.Select(e => (e.Image, File.ReadAllBytes(Path.Combine(images, e.Image)), e.Prompt)).ToArray());
        Assert.Equal(inline.Select(e => e.Image), fromHttp.Select(r => r["jobId"]!.GetValue<string>()));
        foreach (var result in fromHttp)
        {
            var job = result["jobId"]!.GetValue<string>();
            var expected = fromScore[job];
            expected.Remove("image");
            result.Remove("image");
            SameLine(job, expected, result);
        }

        var fromScoreCsv = CsvRows(work.Combine("score.csv"));
        var fromRescore = CsvRows(Directory.EnumerateFiles(work.Combine("runs"), "results.csv", SearchOption.AllDirectories).Single());
        Assert.Equal(fromScoreCsv.Keys.Order(), fromRescore.Keys.Order());
        foreach (var (job, row) in fromScoreCsv)
        {
            foreach (var column in ResultTable.Columns)
            {
                var (a, b) = (row[column.Name], fromRescore[job][column.Name]);
                if (column.IsNumber && a.Length > 0 && b.Length > 0)
                {
                    Assert.Equal(double.Parse(a, CultureInfo.InvariantCulture), double.Parse(b, CultureInfo.InvariantCulture), Tolerance);
                }
                else if (column.Name != "error_message")
                {
                    Assert.True(a == b, $"{job} {column.Name}: score '{a}', rescore '{b}'");
                }
            }
        }
    }

    /// <summary>The same result but for when and how long, scores within <see cref="Tolerance"/>, error messages (each names its own source) aside.</summary>
    private static void SameLine(string job, JsonObject worker, JsonObject score)
    {
        foreach (var line in new[] { worker, score })
        {
            line.Remove("scoredAt");
            line.Remove("timings");
            line.Remove(IpIqa.Worker.Local.JsonlResultSink.KeyProperty);
            line.Remove(IpIqa.Worker.Local.JsonlResultSink.MessageIdProperty);
            if (line["scores"] is JsonObject scores)
            {
                line.Remove("scores");
                line["quality"] = Math.Round(scores["quality"]!.GetValue<double>() / Tolerance);
                line["alignment"] = Math.Round(scores["alignment"]!.GetValue<double>() / Tolerance);
            }

            (line["error"] as JsonObject)?.Remove("message");
        }

        Assert.True(JsonNode.DeepEquals(worker, score), $"{job}:\nworker {worker.ToJsonString()}\nscore  {score.ToJsonString()}");
    }

    private static Dictionary<string, JsonObject> JsonLines(string path) =>
        File.ReadAllLines(path).Select(l => JsonNode.Parse(l)!.AsObject()).ToDictionary(l => l["jobId"]!.GetValue<string>());

    private static Dictionary<string, Dictionary<string, string>> CsvRows(string path)
    {
        using var text = new StreamReader(path);
        using var reader = new CsvRecordReader(text);
        var header = reader.Read()!;
        var rows = new Dictionary<string, Dictionary<string, string>>();
        while (reader.Read() is { } row)
        {
            var byName = header.Select((h, i) => (h, row[i])).ToDictionary(p => p.h, p => p.Item2);
            rows.Add(byName["job_id"], byName);
        }

        return rows;
    }

    private static async Task<string> RunCliAsync(params string[] arguments)
    {
        var (exit, output) = await CliProcess.RunAsync(arguments);
        Assert.True(exit == ExitCodes.InputsFailed, $"ipiqa {arguments[0]} exited {exit} (3 inputs cannot be scored):\n{output}");
        return output;
    }

    /// <summary>The worker with <c>IpIqa:Transport:Kind=Http</c>, one request with every item inline.</summary>
    private static async Task<JsonObject[]> RunHttpAsync(string bundle, TempDirectory work, string threshold, (string Image, byte[] Bytes, string? Prompt)[] items)
    {
        var port = FreePorts.Next();
        using var worker = WorkerProcess.Start(AzuriteWorkerSettings.ToEnvironment(new Dictionary<string, string?>
        {
            ["IpIqa:Model:BundlePath"] = bundle,
            ["IpIqa:Model:ExecutionProvider"] = "Cpu",
            ["IpIqa:Transport:Kind"] = "Http",
            ["IpIqa:Http:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["IpIqa:Health:Port"] = "0",
            ["IpIqa:Thresholds:Quality"] = threshold,
        }), work.Path);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var deadline = DateTime.UtcNow.AddMinutes(2); ; await Task.Delay(100))
        {
            Assert.False(worker.HasExited, $"the worker stopped:\n{worker.Output}");
            try
            {
                using var model = await http.GetAsync("/v1/model");
                if (model.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet: the model loads first.
            }
        }

        var body = new JsonObject
        {
            ["items"] = new JsonArray([.. items.Select(i => (JsonNode)new JsonObject
            {
                ["jobId"] = i.Image,
                ["image"] = new JsonObject { ["base64"] = Convert.ToBase64String(i.Bytes) },
                ["prompt"] = i.Prompt,
            })]),
        };
        using var response = await http.PostAsync("/v1/score", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {text}\n{worker.Output}");
        return [.. JsonNode.Parse(text)!["results"]!.AsArray().Select(r => r!.AsObject())];
    }


    private static async Task<string> RunWorkerAsync(string bundle, TempDirectory work, string jobs, string images, string threshold)
    {
        var results = work.Combine("worker.jsonl");
        using var worker = WorkerProcess.Start(AzuriteWorkerSettings.ToEnvironment(new Dictionary<string, string?>
        {
            ["IpIqa:Model:BundlePath"] = bundle,
            ["IpIqa:Model:ExecutionProvider"] = "Cpu",
            ["IpIqa:Transport:Kind"] = "Local",
            ["IpIqa:Local:JobsPath"] = jobs,
            ["IpIqa:Local:ImageRoot"] = images,
            ["IpIqa:Local:ResultsPath"] = results,
            ["IpIqa:Local:Drain"] = "true",
            ["IpIqa:Health:Port"] = "0",
            ["IpIqa:Thresholds:Quality"] = threshold,
        }), work.Path);
        Assert.True(await worker.WaitForExitAsync(TimeSpan.FromMinutes(3)), $"the worker did not drain:\n{worker.Output}");
        return results;
    }
}
