#:project ../src/IpIqa.Rescoring/IpIqa.Rescoring.csproj
#:property PublishAot=false

// Listing throughput of `ipiqa rescore` sources on one container (#19): the single lister
// (BlobRescoreSource, pages of 500 and of 5,000) against the per-prefix parallel lister
// (ParallelBlobRescoreSource), side by side, alternating, on the same blobs.
// Usage: dotnet run bench/rescore-listing.cs -- CONNECTION_STRING [BLOBS] [PREFIXES] [ROUNDS]
// (bench/rescore-listing.sh starts Azurite and passes its connection string).
using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IpIqa.Rescoring;

var connection = args[0];
var blobs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40_000;
var prefixes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40;
var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;

var container = new BlobServiceClient(connection).GetBlobContainerClient("listing-bench");
await container.CreateIfNotExistsAsync();
var seeded = 0;
await foreach (var page in container.GetBlobsAsync().AsPages(pageSizeHint: 5000))
{
    seeded += page.Values.Count;
}

if (seeded < blobs)
{
    var options = new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["prompt"] = "a photo of a cat" } };
    await Parallel.ForEachAsync(Enumerable.Range(0, blobs), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        await container.GetBlobClient($"p{i % prefixes:D3}/img-{i:D7}.png").UploadAsync(new BinaryData(new byte[1]), options, ct));
}

using var pacer = new RequestPacer(0);
(string Name, IRescoreSource Source, int PageSize)[] listers =
[
    ("single, pages of 500", new BlobRescoreSource(container, null, "prompt", pacer), 500),
    ("single, pages of 5,000", new BlobRescoreSource(container, null, "prompt", pacer), 5000),
    ("parallel x8, pages of 5,000", new ParallelBlobRescoreSource(container, null, "prompt", pacer, 8), 5000),
];
var rates = listers.ToDictionary(l => l.Name, _ => new List<double>());
for (var round = 0; round < rounds; round++)
{
    foreach (var (name, source, pageSize) in listers)
    {
        var watch = Stopwatch.StartNew();
        var count = 0;
        await foreach (var page in source.ListAsync(null, pageSize, CancellationToken.None))
        {
            count += page.Items.Count;
        }

        if (count != blobs)
        {
            throw new InvalidOperationException($"{name} listed {count} blobs, not {blobs}.");
        }

        rates[name].Add(count / watch.Elapsed.TotalSeconds);
    }
}

var baseline = rates[listers[0].Name].Order().ElementAt(rounds / 2);
Console.WriteLine($"{blobs} blobs in {prefixes} prefixes, {rounds} rounds (median blobs/s, ratio to the first row):");
foreach (var (name, list) in rates)
{
    var median = list.Order().ElementAt(rounds / 2);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-28} {median,8:F0} blobs/s  x{median / baseline:F2}  (runs: {string.Join(", ", list.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))})"));
}
