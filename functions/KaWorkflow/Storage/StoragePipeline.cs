using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace KaWorkflow.Storage;

/// <summary>Builds the Azure.Core pipeline (retries, logging, authentication) shared by the table and blob clients.</summary>
internal static class StoragePipeline
{
    private sealed class Options : ClientOptions
    {
        public Options()
        {
            Retry.MaxRetries = 4;
            Retry.Mode = RetryMode.Exponential;
            Retry.Delay = TimeSpan.FromMilliseconds(200);
            Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        }
    }

    public static HttpPipeline Build(StorageAccount account, bool forTables)
    {
        HttpPipelinePolicy auth = account.Credential is { } credential
            ? new BearerTokenAuthenticationPolicy(credential, "https://storage.azure.com/.default")
            : new SharedKeyPolicy(account.Name, account.SharedKey ?? throw new InvalidOperationException("No key or credential."), forTables);
        // Per-retry, so every attempt is signed afresh with a new x-ms-date (see storage-rest.md).
        return HttpPipelineBuilder.Build(new Options(), [], [auth], new ResponseClassifier());
    }
}

/// <summary>Signs requests with the account key: SharedKeyLite for tables, SharedKey for blobs (Azurite has no SharedKeyLite for blobs).</summary>
internal sealed class SharedKeyPolicy(string account, byte[] key, bool forTables) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var date = DateTimeOffset.UtcNow.ToString("R");
        request.Headers.SetValue("x-ms-date", date);
        var uri = request.Uri.ToUri();
        var stringToSign = forTables ? date + "\n" + TableResource(uri) : BlobStringToSign(request, uri);
        using var hmac = new HMACSHA256(key);
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.SetValue("Authorization", $"{(forTables ? "SharedKeyLite" : "SharedKey")} {account}:{signature}");
    }

    private string TableResource(Uri uri)
    {
        var resource = "/" + account + uri.AbsolutePath;
        var comp = QueryParameters(uri).FirstOrDefault(p => p.Key == "comp");
        return comp.Key is null ? resource : resource + "?comp=" + comp.Value;
    }

    private string BlobStringToSign(Request request, Uri uri)
    {
        string H(string name) => request.Headers.TryGetValue(name, out var v) ? v : "";
        long length = 0;
        request.Content?.TryComputeLength(out length);
        var sb = new StringBuilder();
        sb.Append(request.Method.Method).Append('\n')
          .Append(H("Content-Encoding")).Append('\n')
          .Append(H("Content-Language")).Append('\n')
          .Append(length == 0 ? "" : length.ToString()).Append('\n')
          .Append(H("Content-MD5")).Append('\n')
          .Append(H("Content-Type")).Append('\n')
          .Append('\n') // Date: empty because x-ms-date is sent
          .Append(H("If-Modified-Since")).Append('\n')
          .Append(H("If-Match")).Append('\n')
          .Append(H("If-None-Match")).Append('\n')
          .Append(H("If-Unmodified-Since")).Append('\n')
          .Append(H("Range")).Append('\n');
        // Ordinal sort matches the service only while x-ms-* names avoid '-' and '_' after the prefix
        // differences; the blob client keeps metadata names to [a-z0-9] for that reason.
        foreach (var header in request.Headers
                     .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Name.ToLowerInvariant(), h.Value))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
            sb.Append(header.Name).Append(':').Append(header.Value.Trim()).Append('\n');
        sb.Append('/').Append(account).Append(uri.AbsolutePath);
        foreach (var group in QueryParameters(uri).GroupBy(p => p.Key.ToLowerInvariant()).OrderBy(g => g.Key, StringComparer.Ordinal))
            sb.Append('\n').Append(group.Key).Append(':').Append(string.Join(",", group.Select(p => p.Value).Order(StringComparer.Ordinal)));
        return sb.ToString();
    }

    private static IEnumerable<KeyValuePair<string, string>> QueryParameters(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => KeyValuePair.Create(Uri.UnescapeDataString(p[0]), p.Length > 1 ? Uri.UnescapeDataString(p[1]) : ""));
}
