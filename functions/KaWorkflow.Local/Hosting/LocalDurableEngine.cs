using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using DurableTask.Core;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker.Shims;

namespace KaWorkflow.Hosting;

/// <summary>
/// The local host's durable engine: DurableTask.Core's worker with the Azure Storage backend (the engine and storage
/// layout Durable Functions uses in Azure) running the round's and the leads' orchestrations and their activities
/// through the Microsoft.DurableTask shims, against Azurite. Its client is the app's <see cref="IDurableClients"/>.
/// </summary>
public sealed class LocalDurableEngine(
    StorageOptions storage, DurableOptions options, IServiceProvider services, DurableStorageMeter meter,
    ILoggerFactory loggers) : IHostedService, IDurableClients
{
    private readonly AzureStorageOrchestrationService _service = new(Settings(storage, options, meter, loggers));
    private TaskHubWorker? _worker;
    private TaskHubClient? _hub;
    private DurableTaskClient? _client;

    /// <summary>The orchestrations this engine runs; each is resolved from the services by its name, so a test can
    /// swap one for changed code, as a deployment would bring.</summary>
    public static readonly string[] OrchestrationNames = [RoundOrchestration.Name, LeadOrchestration.Name];

    /// <summary>The activities, one class each.</summary>
    public static readonly Type[] ActivityTypes =
        [typeof(ReadRound), typeof(FinishRound), typeof(RunRoundEffect), typeof(ChaseLead)];

    public DurableTaskClient Client =>
        _client ?? throw new InvalidOperationException("The durable engine has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _service.CreateIfNotExistsAsync();
        _hub = new TaskHubClient(_service, new ShimJson(), loggers);
        _client = new TaskHubDurableClient(_hub);
        if (!options.RunWorker) return;
        _worker = new TaskHubWorker(_service, loggers);
        var shims = new DurableTaskShimFactory(new Microsoft.DurableTask.Worker.DurableTaskWorkerOptions(), loggers);
        foreach (var name in OrchestrationNames)
            _worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(name, () =>
                shims.CreateOrchestration(name, services.GetRequiredKeyedService<ITaskOrchestrator>(name))));
        foreach (var type in ActivityTypes)
            _worker.AddTaskActivities(new Creator<TaskActivity>(type.Name, () =>
                shims.CreateActivity(type.Name, (ITaskActivity)ActivatorUtilities.CreateInstance(services, type))));
        await _worker.StartAsync();
    }

    /// <summary>How many events the current execution of an instance has in its history (0 if none): what each
    /// replay of it reads.</summary>
    public async Task<int> HistoryLengthAsync(string instanceId)
    {
        var hub = _hub ?? throw new InvalidOperationException("The durable engine has not started.");
        if (await hub.GetOrchestrationStateAsync(instanceId) is not { } state) return 0;
        var history = await hub.GetOrchestrationHistoryAsync(state.OrchestrationInstance);
        return System.Text.Json.JsonDocument.Parse(history).RootElement.GetArrayLength();
    }

    /// <remarks>Waits no longer than the host's shutdown timeout: with storage unreachable the backend's partition
    /// manager was seen to wait ten minutes for its lease table.</remarks>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_worker is null) return;
        try { await _worker.StopAsync(isForced: true).WaitAsync(cancellationToken); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
    }

    private static AzureStorageOrchestrationServiceSettings Settings(
        StorageOptions storage, DurableOptions options, DurableStorageMeter meter, ILoggerFactory loggers) => new()
    {
        StorageAccountClientProvider = Clients(storage, meter),
        TaskHubName = string.IsNullOrWhiteSpace(options.TaskHub) ? storage.TablePrefix + "hub" : options.TaskHub,
        PartitionCount = 1, // a few hundred orchestrations a quarter: one control queue is plenty
        // Without it a second start of a running round is dropped silently instead of refused.
        ThrowExceptionOnInvalidDedupeStatus = true,
        MaxQueuePollingInterval = TimeSpan.FromMilliseconds(options.MaxPollingIntervalMs),
        // The partition lease lives in a table. Its default 2 s timeout let a busy Azurite (hundreds of requests
        // queued on its one thread) lose the lease mid-rehearsal: the engine then took nothing for 15 s or more.
        PartitionTableOperationTimeout = TimeSpan.FromSeconds(30),
        ExtendedSessionsEnabled = true,
        ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(5),
        MaxConcurrentTaskOrchestrationWorkItems = 400,
        WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(options.VisibilityTimeoutSeconds),
        ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(options.VisibilityTimeoutSeconds),
        // Unique among the engines of one process (tests run two instances side by side), and the same again after a
        // restart, so a process killed mid-step takes its own partition lease back at once.
        WorkerId = $"{Environment.MachineName}-{Interlocked.Increment(ref _engines)}",
        LoggerFactory = loggers,
    };

    /// <summary>The durable engine's clients, metered, with the SDKs' default retries (the engine retries
    /// itself).</summary>
    private static StorageAccountClientProvider Clients(
        StorageOptions options, DurableStorageMeter meter)
    {
        T Metered<T>(T client, StorageMeter m) where T : ClientOptions
        {
            client.AddPolicy(m, HttpPipelinePosition.PerRetry);
            return client;
        }
        var (blobs, queues, tables) = (Metered(new BlobClientOptions(StorageClients.BlobVersion), meter.Blobs),
            Metered(new QueueClientOptions(), meter.Queues), Metered(new TableClientOptions(), meter.Tables));
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            return new(StorageServiceClientProvider.ForBlob(options.ConnectionString, blobs),
                StorageServiceClientProvider.ForQueue(options.ConnectionString, queues),
                StorageServiceClientProvider.ForTable(options.ConnectionString, tables));
        var credential = StorageClients.Credential(options);
        return new(StorageServiceClientProvider.ForBlob(StorageClients.Endpoint(options, "blob"), credential, blobs),
            StorageServiceClientProvider.ForQueue(StorageClients.Endpoint(options, "queue"), credential, queues),
            StorageServiceClientProvider.ForTable(StorageClients.Endpoint(options, "table"), credential, tables));
    }

    private static int _engines;

    /// <summary>The client's payloads in the shims' own JSON (System.Text.Json), so the orchestrators read
    /// them.</summary>
    private sealed class ShimJson : DurableTask.Core.Serializing.DataConverter
    {
        private static readonly Microsoft.DurableTask.DataConverter Json =
            Microsoft.DurableTask.Converters.JsonDataConverter.Default;

        public override string? Serialize(object? value) => Json.Serialize(value);
        public override string? Serialize(object? value, bool formatted) => Json.Serialize(value);
        public override object? Deserialize(string? data, Type objectType) => Json.Deserialize(data, objectType);
    }

    private sealed class Creator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public Creator(string name, Func<T> create)
        {
            (Name, Version, _create) = (name, "", create);
        }

        public override T Create() => _create(); // a new shim per execution, as the worker expects
    }
}
