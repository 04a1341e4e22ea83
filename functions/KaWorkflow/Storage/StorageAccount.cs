using Azure.Core;
using Azure.Identity;

namespace KaWorkflow.Storage;

/// <summary>The endpoints of one storage account and the credential that reaches them.</summary>
public sealed record StorageAccount(string Name, Uri TableEndpoint, Uri BlobEndpoint, byte[]? SharedKey, TokenCredential? Credential)
{
    /// <summary>The emulator's published development account (public and well known; never a real secret).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static StorageAccount FromOptions(StorageOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            return Parse(options.ConnectionString);
        if (string.IsNullOrWhiteSpace(options.AccountName))
            throw new InvalidOperationException("Set Storage:ConnectionString (Azurite) or Storage:AccountName (Azure).");
        var credential = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
            ? (TokenCredential)new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));
        return new StorageAccount(options.AccountName,
            new Uri($"https://{options.AccountName}.table.core.windows.net/"),
            new Uri($"https://{options.AccountName}.blob.core.windows.net/"), null, credential);
    }

    public static StorageAccount Parse(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && dev.Equals("true", StringComparison.OrdinalIgnoreCase))
            return new StorageAccount(DevelopmentAccountName,
                new Uri("http://127.0.0.1:10002/devstoreaccount1/"), new Uri("http://127.0.0.1:10000/devstoreaccount1/"),
                Convert.FromBase64String(DevelopmentAccountKey), null);
        string Need(string key) => parts.TryGetValue(key, out var v) && v.Length > 0
            ? v : throw new InvalidOperationException($"The storage connection string has no {key}.");
        var name = Need("AccountName");
        var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        var table = parts.TryGetValue("TableEndpoint", out var t) ? t : $"{protocol}://{name}.table.core.windows.net";
        var blob = parts.TryGetValue("BlobEndpoint", out var b) ? b : $"{protocol}://{name}.blob.core.windows.net";
        return new StorageAccount(name, new Uri(table.TrimEnd('/') + "/"), new Uri(blob.TrimEnd('/') + "/"),
            Convert.FromBase64String(Need("AccountKey")), null);
    }

    /// <summary>A connection string for an Azurite instance on the given loopback ports.</summary>
    public static string AzuriteConnectionString(int blobPort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{DevelopmentAccountName};TableEndpoint=http://127.0.0.1:{tablePort}/{DevelopmentAccountName};";
}
