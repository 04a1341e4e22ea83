using Azure;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Storage;

public sealed class BlobStoreTests
{
    private readonly BlobStore _blobs = new(StorageAccount.Parse(Azurite.Instance.ConnectionString));
    private readonly string _container = "c" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task An_uploaded_blob_comes_back_with_its_content_type_and_metadata()
    {
        await _blobs.CreateContainerIfNotExistsAsync(_container);
        await _blobs.UploadAsync(_container, "2020-21-Q1/v1/report.html", BinaryData.FromString("<h1>Report</h1>"),
            "text/html; charset=utf-8", new Dictionary<string, string> { ["round"] = "2020-21-Q1", ["version"] = "1" });
        var back = await _blobs.DownloadAsync(_container, "2020-21-Q1/v1/report.html");
        Assert.NotNull(back);
        Assert.Equal("<h1>Report</h1>", back!.Content.ToString());
        Assert.Equal("text/html; charset=utf-8", back.ContentType);
        Assert.Equal("2020-21-Q1", back.Metadata["round"]);
    }

    [Fact]
    public async Task An_existing_blob_is_never_overwritten_by_a_create_only_upload()
    {
        await _blobs.CreateContainerIfNotExistsAsync(_container);
        await _blobs.UploadAsync(_container, "a.txt", BinaryData.FromString("first"), "text/plain");
        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            _blobs.UploadAsync(_container, "a.txt", BinaryData.FromString("second"), "text/plain"));
        Assert.Equal(409, error.Status);
        Assert.Equal("first", (await _blobs.DownloadAsync(_container, "a.txt"))!.Content.ToString());
    }

    [Fact]
    public async Task Listing_by_prefix_returns_only_that_folder()
    {
        await _blobs.CreateContainerIfNotExistsAsync(_container);
        foreach (var name in new[] { "2020-21-Q1/v1/report.html", "2020-21-Q1/v2/report.html", "2020-21-Q2/v1/report.html" })
            await _blobs.UploadAsync(_container, name, BinaryData.FromString(name), "text/html");
        var listed = await _blobs.ListAsync(_container, "2020-21-Q1/");
        Assert.Equal(["2020-21-Q1/v1/report.html", "2020-21-Q1/v2/report.html"], listed.Select(b => b.Name).Order());
    }

    [Fact]
    public async Task A_missing_blob_reads_as_null()
    {
        await _blobs.CreateContainerIfNotExistsAsync(_container);
        Assert.Null(await _blobs.DownloadAsync(_container, "nope.html"));
    }
}
