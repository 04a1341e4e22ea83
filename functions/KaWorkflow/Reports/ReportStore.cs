using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using KaWorkflow.Storage;

namespace KaWorkflow.Reports;

/// <summary>One stored report file: <c>{roundId}/v{n}/report.{html,docx,csv}</c>.</summary>
public sealed record ReportFile(string Name, long Length, string ContentType, DateTimeOffset LastModified, bool Draft);

/// <summary>A report file's bytes as served.</summary>
public sealed record ReportDownload(BinaryData Content, string ContentType);

/// <summary>The reports container: versions are written once and never overwritten.</summary>
public sealed class ReportStore(BlobServiceClient service, StorageOptions options)
{
    private readonly BlobContainerClient _container = service.GetBlobContainerClient(options.ReportsContainer);

    /// <summary>The container's name, as the demo prints it.</summary>
    public string Container => _container.Name;

    /// <summary>Stores a file unless one of that name exists; returns false (and leaves it as it is) if it
    /// does.</summary>
    /// <remarks>Metadata values must be ASCII: the SDK fails on others only after retrying for about 23 s.</remarks>
    public async Task<bool> TryCreateAsync(string name, BinaryData content, string contentType,
        IDictionary<string, string> metadata, CancellationToken ct = default)
    {
        if (metadata.FirstOrDefault(m => !m.Value.All(char.IsAscii)) is { Key: { } bad })
            throw new ArgumentException($"Blob metadata '{bad}' must be ASCII.");
        try
        {
            await _container.GetBlobClient(name).UploadAsync(content, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = metadata,
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>One file, or null if there is none.</summary>
    public async Task<ReportDownload?> DownloadAsync(string name, CancellationToken ct = default)
    {
        try
        {
            var result = (await _container.GetBlobClient(name).DownloadContentAsync(ct)).Value;
            return new ReportDownload(result.Content, result.Details.ContentType ?? "application/octet-stream");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Every file of a round, all versions, following the listing's pages.</summary>
    public async Task<List<ReportFile>> ListAsync(string roundId, CancellationToken ct = default)
    {
        var files = new List<ReportFile>();
        try
        {
            var listing = new GetBlobsOptions { Prefix = roundId + "/", Traits = BlobTraits.Metadata };
            await foreach (var blob in _container.GetBlobsAsync(listing, ct))
                files.Add(new ReportFile(blob.Name, blob.Properties.ContentLength ?? 0,
                    blob.Properties.ContentType ?? "", blob.Properties.LastModified ?? default,
                    blob.Metadata.TryGetValue("draft", out var draft) && draft == "true"));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No container yet: no reports yet.
        }
        return files;
    }
}
