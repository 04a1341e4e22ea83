using System.Xml.Linq;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace KaWorkflow.Storage;

/// <summary>
/// Keeps ASP.NET Core's data-protection keys (which sign the anti-forgery tokens) in Blob Storage, so every instance
/// and every restart accepts the tokens the others issued: a lead whose form was served by one instance can save
/// through another.
/// </summary>
/// <remarks>
/// The interface is synchronous; the framework calls it rarely (it caches the key ring for hours), so the SDK's
/// synchronous calls are acceptable. The keys rest unencrypted in the container, protected by storage access control
/// and encryption at rest.
/// </remarks>
public sealed class BlobKeyRepository(BlobContainerClient container) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var result = new List<XElement>();
        try
        {
            foreach (var item in container.GetBlobs(new GetBlobsOptions { Prefix = "keys/" }))
                result.Add(XElement.Parse(container.GetBlobClient(item.Name).DownloadContent().Value.Content.ToString()));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No container yet: no keys yet. StoreElement creates it.
        }
        return result;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        var content = BinaryData.FromString(element.ToString(SaveOptions.DisableFormatting));
        var blob = container.GetBlobClient($"keys/{friendlyName}.xml");
        var createOnly = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/xml" },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        try
        {
            blob.Upload(content, createOnly);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            container.CreateIfNotExists();
            blob.Upload(content, createOnly);
        }
    }
}
