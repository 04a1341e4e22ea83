using System.ComponentModel.DataAnnotations;
namespace KaWorkflow.Storage;

/// <summary>Where the app keeps its tables and blobs, how it signs in to them, and how long it waits for
/// them.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    // Blob container names: 3 to 63 lower-case letters, digits and single hyphens, starting and ending alphanumeric.
    private const string ContainerName = "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$";

    /// <summary>
    /// A storage connection string for Azurite: <c>UseDevelopmentStorage=true</c> (default ports only), or one with
    /// <c>AccountName</c>, <c>AccountKey</c>, <c>TableEndpoint</c> and <c>BlobEndpoint</c>.
    /// Leave empty in Azure and set <see cref="AccountName"/> instead.
    /// </summary>
    /// <remarks>Shared keys are for the emulator only: the template disables them on the real account.</remarks>
    [Hosting.LocalOnly]
    public string? ConnectionString { get; set; }

    /// <summary>The Azure storage account name; used with the managed identity when no connection string is
    /// set.</summary>
    public string? AccountName { get; set; }

    /// <summary>Client id of the user-assigned managed identity used for storage and Graph in Azure.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prefix of every table name, so several installations (or test runs) can share one account.</summary>
    /// <remarks>Changing it on a live installation makes the app start with empty tables.</remarks>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{0,30}$")] // table names: letters and digits
    public string TablePrefix { get; set; } = "ka";

    /// <summary>Blob container that holds assembled reports.</summary>
    [Required, RegularExpression(ContainerName)]
    public string ReportsContainer { get; set; } = "reports";

    /// <summary>Blob container for the keys that sign anti-forgery tokens, shared by every instance.</summary>
    /// <remarks>
    /// Emptying it makes every open form's next save ask the lead to press Save again (their text is kept).
    /// </remarks>
    [Required, RegularExpression(ContainerName)]
    public string KeysContainer { get; set; } = "keys";

    /// <summary>Seconds one storage request may take before it is abandoned and tried again.</summary>
    /// <remarks>
    /// The SDKs default to 100 s, which held a lead's save for minutes when storage froze. A lead's save has its own,
    /// shorter deadline (<see cref="RequestDeadlineSeconds"/>); this one bounds the background work. Too low and a
    /// busy
    /// account's slow answers become timeouts and retries, adding load: 4 s failed a 300-lead quarter on Azurite.
    /// </remarks>
    [Range(1, 300)]
    public double NetworkTimeoutSeconds { get; set; } = 20;

    /// <summary>Seconds a page or a POST may wait for storage before the person is shown that it could not be
    /// reached (with what they typed, on a POST).</summary>
    /// <remarks>
    /// A page is a few storage requests, a lead's save a read and a transaction: milliseconds normally. Past the
    /// deadline a save may still land; pressing the button again is then recognised as the same save, not a conflict.
    /// </remarks>
    [Range(1, 120)]
    public int RequestDeadlineSeconds { get; set; } = 8;

    /// <summary>How many times a failed storage request is tried again (the SDKs default to 3).</summary>
    /// <remarks>The round's activities are retried by the orchestration on top of these (with backoff).</remarks>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>A connection string for an Azurite instance on the given loopback ports (the public development
    /// key).</summary>
    public static string AzuriteConnectionString(int blobPort, int tablePort, int? queuePort = null) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;" +
        (queuePort is { } q ? $"QueueEndpoint=http://127.0.0.1:{q}/devstoreaccount1;" : "");

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(AccountName))
            yield return new ValidationResult("Set Storage:ConnectionString (Azurite) or Storage:AccountName (Azure) " +
                "to say where data is kept.", [nameof(ConnectionString), nameof(AccountName)]);
    }
}
