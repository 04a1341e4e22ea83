using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace KaWorkflow.Storage;

/// <summary>A blob as read back: its bytes, content type, metadata and ETag.</summary>
public sealed record BlobContent(BinaryData Content, string ContentType, IReadOnlyDictionary<string, string> Metadata, string ETag);

/// <summary>One entry of a container listing.</summary>
public sealed record BlobItem(string Name, long Length, string ContentType, DateTimeOffset LastModified, IReadOnlyDictionary<string, string> Metadata);

/// <summary>A small Blob Storage client over REST: containers, create-only uploads, downloads and listings.</summary>
/// <remarks>Azure.Storage.Blobs is listed here but its dependencies are not (platform.md).</remarks>
public sealed class BlobStore
{
    private const string Version = "2021-08-06";
    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;

    public BlobStore(StorageAccount account)
    {
        _pipeline = StoragePipeline.Build(account, forTables: false);
        _endpoint = account.BlobEndpoint;
    }

    public async Task CreateContainerIfNotExistsAsync(string container, CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Put, $"{container}?restype=container");
        var response = await SendAsync(message, ct);
        if (response.Status is not (201 or 409)) throw new RequestFailedException(response);
    }

    /// <summary>
    /// Uploads a block blob. With <paramref name="overwrite"/> false it is create-only: an existing blob
    /// throws <see cref="RequestFailedException"/> with status 409 and is left untouched.
    /// </summary>
    /// <remarks>Metadata names must be lower-case letters and digits, so the signature's header order is unambiguous.</remarks>
    public async Task<string> UploadAsync(string container, string name, BinaryData content, string contentType,
        IReadOnlyDictionary<string, string>? metadata = null, bool overwrite = false, CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Put, $"{container}/{EscapePath(name)}");
        var request = message.Request;
        request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        request.Headers.SetValue("Content-Type", contentType);
        if (!overwrite) request.Headers.SetValue("If-None-Match", "*");
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            if (key.Length == 0 || !key.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9'))
                throw new ArgumentException($"Blob metadata name '{key}' must be lower-case letters and digits.");
            request.Headers.SetValue("x-ms-meta-" + key, Uri.EscapeDataString(value));
        }
        request.Content = RequestContent.Create(content);
        var response = await SendAsync(message, ct);
        if (response.Status != 201) throw new RequestFailedException(response);
        return response.Headers.ETag?.ToString() ?? "";
    }

    public async Task<BlobContent?> DownloadAsync(string container, string name, CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Get, $"{container}/{EscapePath(name)}");
        var response = await SendAsync(message, ct);
        if (response.Status == 404) return null;
        if (response.Status != 200) throw new RequestFailedException(response);
        var metadata = response.Headers
            .Where(h => h.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Name["x-ms-meta-".Length..].ToLowerInvariant(), h => Uri.UnescapeDataString(h.Value));
        return new BlobContent(response.Content, response.Headers.ContentType ?? "application/octet-stream", metadata,
            response.Headers.ETag?.ToString() ?? "");
    }

    public async Task<List<BlobItem>> ListAsync(string container, string prefix, CancellationToken ct = default)
    {
        var items = new List<BlobItem>();
        string? marker = null;
        do
        {
            var path = $"{container}?restype=container&comp=list&include=metadata&prefix={Uri.EscapeDataString(prefix)}"
                       + (marker is null ? "" : "&marker=" + Uri.EscapeDataString(marker));
            using var message = Create(RequestMethod.Get, path);
            var response = await SendAsync(message, ct);
            if (response.Status == 404) return items;
            if (response.Status != 200) throw new RequestFailedException(response);
            var xml = XDocument.Parse(response.Content.ToString());
            foreach (var blob in xml.Descendants("Blob"))
            {
                var props = blob.Element("Properties")!;
                items.Add(new BlobItem(blob.Element("Name")!.Value,
                    long.Parse(props.Element("Content-Length")?.Value ?? "0"),
                    props.Element("Content-Type")?.Value ?? "",
                    DateTimeOffset.Parse(props.Element("Last-Modified")!.Value),
                    blob.Element("Metadata")?.Elements().ToDictionary(e => e.Name.LocalName, e => Uri.UnescapeDataString(e.Value))
                    ?? new Dictionary<string, string>()));
            }
            marker = xml.Root?.Element("NextMarker")?.Value;
        } while (!string.IsNullOrEmpty(marker));
        return items;
    }

    private static string EscapePath(string name) => string.Join('/', name.Split('/').Select(Uri.EscapeDataString));

    private HttpMessage Create(RequestMethod method, string path)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(_endpoint, path));
        message.Request.Headers.SetValue("x-ms-version", Version);
        return message;
    }

    private async Task<Response> SendAsync(HttpMessage message, CancellationToken ct)
    {
        await _pipeline.SendAsync(message, ct);
        return message.Response;
    }
}
