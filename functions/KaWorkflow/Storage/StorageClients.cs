using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace KaWorkflow.Storage;

/// <summary>
/// Builds the app's one <see cref="TableServiceClient"/> and one <see cref="BlobServiceClient"/>: from a connection
/// string for Azurite, from the account name and the managed identity in Azure. Both carry the
/// <see cref="StorageMeter"/> and the retry and timeout settings of <see cref="StorageOptions"/>.
/// </summary>
public static class StorageClients
{
    /// <summary>
    /// The Blob service version the app speaks. Pinned because the SDK's default moves ahead of Azurite's (12.30.1
    /// defaults to 2026-10-06, which Azurite refuses with 400 InvalidHeaderValue unless it runs with
    /// <c>--skipApiVersionCheck</c>); a newer SDK then cannot break the local run silently.
    /// </summary>
    public const BlobClientOptions.ServiceVersion BlobVersion = BlobClientOptions.ServiceVersion.V2026_06_06;

    public static TableServiceClient Tables(StorageOptions options, StorageMeter meter, MissingStorage? missing = null)
    {
        var clientOptions = Configure(new TableClientOptions(), options, meter, missing);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            return new TableServiceClient(options.ConnectionString, clientOptions);
        return new TableServiceClient(Endpoint(options, "table"), Credential(options), clientOptions);
    }

    public static BlobServiceClient Blobs(StorageOptions options, StorageMeter meter, MissingStorage? missing = null)
    {
        var clientOptions = Configure(new BlobClientOptions(BlobVersion), options, meter, missing);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            return new BlobServiceClient(options.ConnectionString, clientOptions);
        return new BlobServiceClient(Endpoint(options, "blob"), Credential(options), clientOptions);
    }

    private static T Configure<T>(T client, StorageOptions options, StorageMeter meter, MissingStorage? missing)
        where T : Azure.Core.ClientOptions
    {
        client.Retry.Mode = RetryMode.Exponential;
        client.Retry.MaxRetries = options.MaxRetries;
        client.Retry.Delay = TimeSpan.FromMilliseconds(400);
        client.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        client.Retry.NetworkTimeout = TimeSpan.FromSeconds(options.NetworkTimeoutSeconds);
        // Per retry: every try is counted and timed, as the service sees it.
        client.AddPolicy(meter, Azure.Core.HttpPipelinePosition.PerRetry);
        if (missing is not null) client.AddPolicy(missing, HttpPipelinePosition.PerCall); // sees the last try's answer
        return client;
    }

    internal static Uri Endpoint(StorageOptions options, string service) =>
        string.IsNullOrWhiteSpace(options.AccountName)
            ? throw new InvalidOperationException(
                "Set Storage:ConnectionString (Azurite) or Storage:AccountName (Azure) to say where data is kept.")
            : new Uri($"https://{options.AccountName}.{service}.core.windows.net/");

    /// <summary>The managed identity in Azure: the user-assigned one when its client id is set. The durable engine's
    /// storage backend uses it too.</summary>
    internal static TokenCredential Credential(StorageOptions options) =>
        string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));
}
