using Azure;
using Azure.Storage.Blobs;
using KaWorkflow.Form;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Rounds;

namespace KaWorkflow.Storage;

/// <summary>The tables and containers the app keeps its data in, created where missing.</summary>
public sealed class AppStorage(RoundStore rounds, RegisterStore register, FormLinks links, MailPacer pacer,
    BlobServiceClient blobs, StorageOptions storage)
{
    /// <summary>Creates every table and container that does not exist yet; changes nothing that does.</summary>
    public async Task CreateAsync(CancellationToken ct = default)
    {
        foreach (var table in new[] { rounds.Rounds, rounds.Index, links.Table, register.Table, pacer.Table })
            await table.CreateIfNotExistsAsync(ct);
        foreach (var container in new[] { storage.ReportsContainer, storage.KeysContainer })
            await blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: ct);
    }
}

/// <summary>
/// Creates the app's tables and containers when the app starts, so a fresh storage account works on the first
/// request. Start-up waits a few seconds at most: storage slow to answer is tried again in the background, and said in
/// the log, while the app serves.
/// </summary>
public sealed class AppStorageAtStart(AppStorage storage, ILogger<AppStorageAtStart> log) : IHostedService
{
    /// <summary>The longest start-up waits for storage.</summary>
    public static readonly TimeSpan StartWait = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private Task _creating = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _creating = CreateAsync(_stopping.Token);
        var first = await Task.WhenAny(_creating, Task.Delay(StartWait, cancellationToken));
        if (first != _creating)
            log.LogWarning("Storage did not answer within {Seconds} s of start: its tables and containers are created "
                + "in the background.", StartWait.TotalSeconds);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try { await _creating.WaitAsync(cancellationToken); }
        catch (OperationCanceledException) { }
    }

    private async Task CreateAsync(CancellationToken ct)
    {
        for (var wait = TimeSpan.FromSeconds(2); ; wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2,
                 TimeSpan.FromMinutes(5).Ticks)))
        {
            try
            {
                await storage.CreateAsync(ct);
                log.LogInformation("The app's tables and containers are in place.");
                return;
            }
            catch (Exception e) when (e is RequestFailedException or AggregateException or TimeoutException
                                          or HttpRequestException or Azure.Identity.AuthenticationFailedException)
            {
                log.LogError(e, "Could not create the app's tables and containers ({Message}); trying again in {Wait}.",
                    e.Message.Split('\n')[0], wait);
            }
            await Task.Delay(wait, ct);
        }
    }
}
