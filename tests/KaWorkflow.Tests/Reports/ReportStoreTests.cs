using Azure.Storage.Blobs;
using KaWorkflow.Reports;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Reports;

/// <summary>The reports container over Azure.Storage.Blobs, against Azurite: versions written once, listed, read.</summary>
public sealed class ReportStoreTests : IAsyncLifetime
{
    private readonly StorageOptions _storage = Azurite.Instance.NewStorage();
    private BlobServiceClient _blobs = null!;
    private ReportStore _reports = null!;

    public async Task InitializeAsync()
    {
        _blobs = StorageClients.Blobs(_storage, new StorageMeter());
        _reports = new ReportStore(_blobs, _storage);
        await _blobs.GetBlobContainerClient(_storage.ReportsContainer).CreateAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static Dictionary<string, string> Draft(bool draft) => new() { ["draft"] = draft ? "true" : "false" };

    [Fact]
    public async Task A_stored_file_comes_back_with_its_content_type()
    {
        Assert.True(await _reports.TryCreateAsync("2020-21-Q1/v1/report.html", BinaryData.FromString("<h1>Report</h1>"),
            "text/html; charset=utf-8", Draft(false)));
        var file = (await _reports.DownloadAsync("2020-21-Q1/v1/report.html"))!;
        Assert.Equal("<h1>Report</h1>", file.Content.ToString());
        Assert.Equal("text/html; charset=utf-8", file.ContentType);
    }

    [Fact]
    public async Task A_stored_version_is_never_overwritten()
    {
        Assert.True(await _reports.TryCreateAsync("a/v1/report.csv", BinaryData.FromString("first"), "text/csv", Draft(false)));
        Assert.False(await _reports.TryCreateAsync("a/v1/report.csv", BinaryData.FromString("second"), "text/csv", Draft(false)));
        Assert.Equal("first", (await _reports.DownloadAsync("a/v1/report.csv"))!.Content.ToString());
    }

    [Fact]
    public async Task Listing_a_round_returns_only_its_files_with_their_draft_mark()
    {
        await _reports.TryCreateAsync("2020-21-Q1/v1/report.html", BinaryData.FromString("1"), "text/html", Draft(true));
        await _reports.TryCreateAsync("2020-21-Q1/v2/report.html", BinaryData.FromString("22"), "text/html", Draft(false));
        await _reports.TryCreateAsync("2020-21-Q2/v1/report.html", BinaryData.FromString("3"), "text/html", Draft(false));

        var files = (await _reports.ListAsync("2020-21-Q1")).OrderBy(f => f.Name).ToList();
        Assert.Equal(["2020-21-Q1/v1/report.html", "2020-21-Q1/v2/report.html"], files.Select(f => f.Name));
        Assert.Equal([true, false], files.Select(f => f.Draft));
        Assert.Equal([1L, 2L], files.Select(f => f.Length));
    }

    [Fact]
    public async Task A_missing_file_reads_as_null_and_a_missing_container_lists_as_empty()
    {
        Assert.Null(await _reports.DownloadAsync("nope.html"));
        var elsewhere = new ReportStore(_blobs, new StorageOptions { ReportsContainer = "missing" + Guid.NewGuid().ToString("N")[..8] });
        Assert.Empty(await elsewhere.ListAsync("2020-21-Q1"));
    }

    [Fact]
    public async Task Non_ascii_metadata_is_refused_at_once_instead_of_after_the_sdks_retries()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => _reports.TryCreateAsync("x/v1/report.csv",
            BinaryData.FromString("x"), "text/csv", new Dictionary<string, string> { ["round"] = "Zoë" }));
        Assert.Contains("ASCII", refused.Message);
    }
}
