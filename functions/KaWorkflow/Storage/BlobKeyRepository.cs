using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace KaWorkflow.Storage;

/// <summary>
/// Keeps ASP.NET Core's data-protection keys (which sign the anti-forgery tokens) in Blob Storage, so every instance
/// and every restart accepts the tokens the others issued: a lead whose form was served by one instance can save
/// through another.
/// </summary>
/// <remarks>
/// The interface is synchronous; the framework calls it rarely (it caches the key ring for hours), so blocking is
/// acceptable. The keys rest unencrypted in the container, protected by storage access control and encryption at rest.
/// </remarks>
public sealed class BlobKeyRepository(BlobStore blobs, string container) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => Task.Run(async () =>
    {
        var result = new List<XElement>();
        try
        {
            foreach (var item in await blobs.ListAsync(container, "keys/"))
                if (await blobs.DownloadAsync(container, item.Name) is { } blob)
                    result.Add(XElement.Parse(blob.Content.ToString()));
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No container yet: no keys yet. StoreElement creates it.
        }
        return (IReadOnlyCollection<XElement>)result;
    }).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) => Task.Run(async () =>
    {
        var content = BinaryData.FromString(element.ToString(SaveOptions.DisableFormatting));
        try
        {
            await blobs.UploadAsync(container, $"keys/{friendlyName}.xml", content, "application/xml", new Dictionary<string, string>(), overwrite: false);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            await blobs.CreateContainerIfNotExistsAsync(container);
            await blobs.UploadAsync(container, $"keys/{friendlyName}.xml", content, "application/xml", new Dictionary<string, string>(), overwrite: false);
        }
    }).GetAwaiter().GetResult();
}
