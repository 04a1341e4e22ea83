namespace KaWorkflow.Storage;

/// <summary>Where the app keeps its tables and blobs, and how it signs in to them.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// A storage connection string for Azurite: <c>UseDevelopmentStorage=true</c>, or one with
    /// <c>AccountName</c>, <c>AccountKey</c>, <c>TableEndpoint</c> and <c>BlobEndpoint</c>.
    /// Leave empty in Azure and set <see cref="AccountName"/> instead.
    /// </summary>
    /// <remarks>Shared keys are for the emulator only: the template disables them on the real account.</remarks>
    [Hosting.LocalOnly]
    public string? ConnectionString { get; set; }

    /// <summary>The Azure storage account name; used with the managed identity when no connection string is set.</summary>
    public string? AccountName { get; set; }

    /// <summary>Client id of the user-assigned managed identity used for storage and Graph in Azure.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prefix of every table name, so several installations (or test runs) can share one account.</summary>
    /// <remarks>Changing it on a live installation makes the app start with empty tables.</remarks>
    public string TablePrefix { get; set; } = "ka";

    /// <summary>Blob container that holds assembled reports.</summary>
    public string ReportsContainer { get; set; } = "reports";

    /// <summary>Blob container for the keys that sign anti-forgery tokens, shared by every instance.</summary>
    /// <remarks>Emptying it makes every open form's next save ask the lead to press Save again (their text is kept).</remarks>
    public string KeysContainer { get; set; } = "keys";
}
