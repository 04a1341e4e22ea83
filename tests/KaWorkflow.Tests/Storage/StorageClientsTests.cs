using System.Diagnostics;
using Azure.Storage.Blobs;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Storage;

/// <summary>How the clients are built: a pinned Blob service version, and bounded waits when storage hangs.</summary>
public sealed class StorageClientsTests
{
    [Fact]
    public async Task A_frozen_storage_ends_a_request_within_the_configured_timeout_and_retry()
    {
        await using var gate = new TcpGate(Azurite.Instance.TablePort);
        var storage = Azurite.Instance.NewStorage();
        storage.ConnectionString = StorageOptions.AzuriteConnectionString(Azurite.Instance.BlobPort, gate.Port, Azurite.Instance.QueuePort);
        storage.NetworkTimeoutSeconds = 1;
        var meter = new StorageMeter();
        var table = StorageClients.Tables(storage, meter).GetTableClient(storage.TablePrefix + "frozen");
        await table.CreateAsync();
        gate.Freeze();

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<Exception>(() => table.GetOrNullAsync("p", "r"));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)); // the SDK default waits 100 s a try
        Assert.Equal(1 + 1 + storage.MaxRetries, meter.RequestCount); // the create, then one try and its retry
    }

    [Fact]
    public void The_blob_service_version_is_pinned_to_one_Azurite_accepts() =>
        Assert.True(StorageClients.BlobVersion < BlobClientOptions.ServiceVersion.V2026_10_06,
            "Azurite 3.35 refuses the SDK's default 2026-10-06 without --skipApiVersionCheck");
}
