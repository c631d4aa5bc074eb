using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Sas;
using IpIqa.Azure.Blobs;
using IpIqa.Azure.StorageQueues;
using IpIqa.Azure.Tests.Loopback;
using IpIqa.Core.Contracts;
using IpIqa.Core.Jobs;
using IpIqa.Core.Tests.Jobs.Fakes;
using IpIqa.TestSupport;
using IpIqa.TestSupport.Loopback;

namespace IpIqa.Azure.Tests.Jobs;

/// <summary>
/// Hostile input on the Storage Queue path, end to end on Azurite: escapes from the allowed container,
/// messages whose poison entry would not fit, SAS tokens, and a transport that fails lease renewals.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueHardeningTests(AzuriteFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [RequiresNodeFact]
    public async Task Blob_outside_the_allowed_container_is_never_read_nor_tagged_through_encoded_separators_or_dot_segments()
    {
        using var env = await StorageEnvironment.CreateAsync(fixture.ConnectionString);
        await env.UploadAsync("private", "secret.png", [7, 7, 7], new Dictionary<string, string> { ["owner"] = "finance" });
        var images = env.Images.Uri.AbsoluteUri.TrimEnd('/');
        string[] escapes =
        [
            $"{images}/..%2F{env.Private.Name}%2Fsecret.png",
            $"{images}/..%2f{env.Private.Name}%2fsecret.png",
            $"{images}/%2E%2E/{env.Private.Name}/secret.png",
            $"{images}/..%252F{env.Private.Name}%252Fsecret.png",
            $"{images}/..%5C{env.Private.Name}%5Csecret.png",
        ];
        for (var i = 0; i < escapes.Length; i++)
        {
            await env.Jobs.SendMessageAsync(Request($"escape-{i}", escapes[i], "a cat"));
        }

        await using (env.Start())
        {
            await env.WaitUntilEmptyAsync(Wait);
        }

        Assert.Empty(env.Scorer.Inputs);
        var tags = (await env.Private.GetBlobClient("secret.png").GetTagsAsync()).Value.Tags;
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "finance" }, tags);
        var rows = env.Table.Query<TableEntity>().ToList();
        Assert.Equal(escapes.Length, rows.Count);
        Assert.All(rows, r => Assert.Equal("source_not_allowed", r.GetString("ErrorCode")));
        var poison = await env.ReadPoisonAsync();
        Assert.Equal(escapes.Length, poison.Count);
        Assert.All(poison, p => Assert.Equal("source_not_allowed", p.Code));
    }

    [RequiresNodeFact]
    public async Task Messages_whose_poison_entry_would_pass_64_KiB_are_poisoned_within_max_dequeue_count_with_their_hash_and_length()
    {
        using var env = await StorageEnvironment.CreateAsync(fixture.ConnectionString);
        var image = await env.UploadAsync("images", "a.png", [1, 2, 3]);
        var japanese = Request("japanese", image, string.Concat(Enumerable.Repeat("富士山の夕焼けと桜。", 900)));
        var ascii = Request("ascii", image, new string('a', 50_000));
        Assert.InRange(Encoding.UTF8.GetByteCount(japanese), 27_000, 28_000);
        Assert.InRange(Encoding.UTF8.GetByteCount(ascii), 50_000, 51_000);
        // Base64, as Azure Functions writes: Azurite can garble raw UTF-8 text that spans its request chunks.
        await env.Jobs.SendMessageAsync(QueueMessageBody.Encode(Encoding.UTF8.GetBytes(japanese)));
        await env.Jobs.SendMessageAsync(ascii);

        await using (env.Start())
        {
            await env.WaitUntilEmptyAsync(Wait);
        }

        var poison = await env.ReadPoisonAsync();
        Assert.Equal(2, poison.Count);
        foreach (var (entry, sent) in poison.Select(p => (p, p.Message.Contains("japanese", StringComparison.Ordinal) ? japanese : ascii)))
        {
            Assert.Equal("prompt_invalid", entry.Code);
            Assert.InRange(entry.EncodedLength, 1, 64 * 1024);
            using var json = JsonDocument.Parse(entry.Raw);
            var root = json.RootElement;
            Assert.InRange(root.GetProperty("dequeueCount").GetInt64(), 1, StorageEnvironment.MaxDequeueCount);
            Assert.Equal(Encoding.UTF8.GetByteCount(sent), root.GetProperty("messageBytes").GetInt32());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sent))), root.GetProperty("messageSha256").GetString());
            Assert.True(root.GetProperty("messageTruncated").GetBoolean());
            Assert.StartsWith(entry.Message, sent, StringComparison.Ordinal);
            Assert.True(entry.Message.Length > 1000, $"only {entry.Message.Length} characters of the message were kept");
        }
    }

    [RequiresNodeFact]
    public async Task Sas_uri_leaves_no_signature_in_results_rows_tags_poison_entries_or_logs()
    {
        var results = new RecordingSink("results", 30);
        using var env = await StorageEnvironment.CreateAsync(fixture.ConnectionString, results);
        await env.UploadAsync("images", "sas.png", [5, 6, 7]);
        await env.UploadAsync("images", "bad.png", "BAD image"u8.ToArray());
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        var good = env.Images.GetBlobClient("sas.png").GenerateSasUri(BlobSasPermissions.Read, expires).AbsoluteUri;
        var bad = env.Images.GetBlobClient("bad.png").GenerateSasUri(BlobSasPermissions.Read, expires).AbsoluteUri;
        var missing = env.Images.GetBlobClient("missing.png").GenerateSasUri(BlobSasPermissions.Read, expires).AbsoluteUri;
        var userInfo = good.Replace("://", "://reader:sig=hunter2@", StringComparison.Ordinal);
        Assert.All(new[] { good, bad, missing }, u => Assert.Contains("sig=", u, StringComparison.Ordinal));
        await env.Jobs.SendMessageAsync(Request("good", good, "a cat"));
        await env.Jobs.SendMessageAsync(Request("bad", bad, "a cat"));
        await env.Jobs.SendMessageAsync(Request("missing", missing, "a cat"));
        await env.Jobs.SendMessageAsync(Request("userinfo", userInfo, "a cat"));
        await env.Jobs.SendMessageAsync(Request("escaped", good, "a cat").Replace("/", "\\/", StringComparison.Ordinal).Replace("?", "\\u003F", StringComparison.Ordinal));

        await using (env.Start())
        {
            await env.WaitUntilEmptyAsync(Wait);
        }

        // The worker reads with its identity: user information and SAS are dropped, so four jobs reach the scorer.
        Assert.Equal(4, env.Scorer.Inputs.Count);
        Assert.Equal(5, results.Records.Count);
        Assert.All(results.Records, r => AssertNoSecret(ScoringJson.SerializeResultToString(r.Result)));
        Assert.Contains(results.Records, r => r.Result.Image?.Uri == env.Images.GetBlobClient("sas.png").Uri.AbsoluteUri);
        var rows = env.Table.Query<TableEntity>().ToList();
        Assert.Equal(5, rows.Count); // one row per job, though three of them name sas.png
        Assert.All(rows.SelectMany(r => r), p => AssertNoSecret($"{p.Key}={p.Value}"));
        foreach (var name in new[] { "sas.png", "bad.png" })
        {
            var tags = (await env.Images.GetBlobClient(name).GetTagsAsync()).Value.Tags;
            Assert.NotEmpty(tags);
            Assert.All(tags, t => AssertNoSecret(t.Key + t.Value));
        }

        var poison = await env.ReadPoisonAsync();
        Assert.Equal(["image_not_found", "image_undecodable"], poison.Select(p => p.Code).Order(StringComparer.Ordinal));
        Assert.All(poison, p => AssertNoSecret(p.Raw));
        Assert.NotEmpty(env.Logs.Lines);
        Assert.All(env.Logs.Lines, AssertNoSecret);
    }

    [RequiresNodeFact]
    public async Task Lease_renewal_survives_network_errors_and_the_job_runs_once()
    {
        using var env = await StorageEnvironment.CreateAsync(fixture.ConnectionString);
        var policy = new FailingRenewalPolicy(1, 3);
        env.QueuePolicy = policy;
        env.VisibilityTimeout = TimeSpan.FromSeconds(4);
        env.Scorer = new FakeScorer { Before = (_, ct) => Task.Delay(TimeSpan.FromSeconds(8), ct) };
        var image = await env.UploadAsync("images", "slow.png", [4, 4]);
        await env.Jobs.SendMessageAsync(Request("slow", image, "a cat"));

        await using (env.Start())
        {
            await env.WaitUntilEmptyAsync(Wait);
        }

        Assert.Equal(2, policy.Failures);
        Assert.True(policy.Renewals >= 4, $"{policy.Renewals} renewals");
        Assert.Single(env.Scorer.Inputs);
        Assert.Empty(await env.ReadPoisonAsync());
        Assert.Equal(2, env.Logs.Lines.Count(l => l.Contains("Renewing the lease", StringComparison.Ordinal) && l.Contains("injected", StringComparison.Ordinal)));
    }

    [RequiresNodeFact]
    public async Task Job_that_settles_while_a_renewal_is_in_flight_keeps_the_new_pop_receipt_and_runs_once()
    {
        using var env = await StorageEnvironment.CreateAsync(fixture.ConnectionString);
        var policy = new FailingRenewalPolicy { SlowResponse = TimeSpan.FromSeconds(2) };
        env.QueuePolicy = policy;
        env.VisibilityTimeout = TimeSpan.FromSeconds(4);

        // Renewal at 2 s, applied by the service at once, its response held until 4 s; the job settles at 3 s.
        env.Scorer = new FakeScorer { Before = (_, ct) => Task.Delay(TimeSpan.FromSeconds(3), ct) };
        var image = await env.UploadAsync("images", "race.png", [6, 6]);
        await env.Jobs.SendMessageAsync(Request("race", image, "a cat"));

        await using (env.Start())
        {
            await env.WaitUntilEmptyAsync(Wait);
        }

        Assert.Equal(1, policy.Renewals);
        Assert.Single(env.Scorer.Inputs);
        Assert.DoesNotContain(env.Logs.Lines, l => l.Contains("lost its lease", StringComparison.Ordinal));
    }

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain("sig=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
    }

    /// <summary>The message as a producer writes it: UTF-8 JSON, non-ASCII characters unescaped.</summary>
    private static string Request(string jobId, string uri, string prompt) =>
        JsonSerializer.Serialize(new { jobId, image = new { uri }, prompt }, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
