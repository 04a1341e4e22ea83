using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;
using CoreStatus = DurableTask.Core.OrchestrationStatus;

namespace KaWorkflow.Hosting;

/// <summary>
/// The local host's durable engine: DurableTask.Core's worker with the Azure Storage backend (the engine and storage
/// layout Durable Functions uses in Azure) running the round orchestration and activities through the
/// Microsoft.DurableTask shims, against Azurite. It also starts and wakes rounds (<see cref="IRoundRunner"/>).
/// </summary>
public sealed class LocalDurableEngine(
    StorageOptions storage, DurableOptions options, AdjustableClock clock, IServiceProvider services,
    DurableStorageMeter meter, ILoggerFactory loggers) : IHostedService, IRoundRunner
{
    private static readonly CoreStatus[] Live = [CoreStatus.Running, CoreStatus.Pending, CoreStatus.ContinuedAsNew];
    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(5);
    private readonly AzureStorageOrchestrationService _service = new(Settings(storage, options, meter, loggers));
    private TaskHubWorker? _worker;
    private TaskHubClient? _client;

    private TaskHubClient Client => _client ?? throw new InvalidOperationException("The durable engine has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _service.CreateIfNotExistsAsync();
        _client = new TaskHubClient(_service, new ShimJson(), loggers);
        if (!options.RunWorker) return;
        _worker = new TaskHubWorker(_service, loggers);
        var shims = new DurableTaskShimFactory(new Microsoft.DurableTask.Worker.DurableTaskWorkerOptions(), loggers);
        // The round orchestrator is whatever the services say (a changed one, in the test of a deployment mid-quarter).
        _worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(RoundOrchestration.Name, () =>
            shims.CreateOrchestration(RoundOrchestration.Name, services.GetRequiredService<ITaskOrchestrator>())));
        _worker.AddTaskActivities(
            Activity<DecideRoundTurn>(shims), Activity<RunRoundEffects>(shims), Activity<RunRoundEffect>(shims));
        await _worker.StartAsync();
    }

    /// <remarks>Waits no longer than the host's shutdown timeout: with storage unreachable the backend's partition
    /// manager was seen to wait ten minutes for its lease table.</remarks>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_worker is null) return;
        try { await _worker.StopAsync(isForced: true).WaitAsync(cancellationToken); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
    }

    private Creator<TaskActivity> Activity<T>(DurableTaskShimFactory shims) where T : ITaskActivity =>
        new(typeof(T).Name, () => shims.CreateActivity(typeof(T).Name, ActivatorUtilities.CreateInstance<T>(services)));

    public Task<bool> StartAsync(string roundId, CancellationToken ct = default) => TryStartAsync(roundId, 0);

    public async Task<long> WakeAsync(string roundId, CancellationToken ct = default)
    {
        var wake = WakeNumbers.Next();
        var state = await Client.GetOrchestrationStateAsync(roundId);
        if (state is not null && Live.Contains(state.OrchestrationStatus) || !await TryStartAsync(roundId, wake))
            await RaiseWakeAsync(roundId, wake);
        return wake;
    }

    public async Task<long> NotifyAsync(string roundId, CancellationToken ct = default)
    {
        var wake = WakeNumbers.Next();
        await RaiseWakeAsync(roundId, wake);
        return wake;
    }

    /// <summary>The wake event, by instance id alone (an execution id changes at every continue-as-new).</summary>
    private Task RaiseWakeAsync(string roundId, long wake) =>
        Client.RaiseEventAsync(new OrchestrationInstance { InstanceId = roundId }, RoundOrchestration.WakeEvent, wake);

    /// <summary>
    /// Waits until the round has taken wake-up <paramref name="wake"/> into account (it is waiting again, having done
    /// all that was due) or has finished. For the simulation and tests, which move business time by hand.
    /// </summary>
    /// <remarks>
    /// An event raised while a round is being started afresh can reach the execution that just ended and be dropped
    /// (seen under load, after a failed turn was restarted). A round seen waiting on an older wake-up for a few
    /// seconds is sent this one again: wake-ups are numbered, so a second copy changes nothing.
    /// </remarks>
    public async Task WaitForAsync(string roundId, long wake, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        var resendAt = DateTime.UtcNow + ResendAfter;
        while (true)
        {
            var state = await Client.GetOrchestrationStateAsync(roundId);
            if (state?.OrchestrationStatus == CoreStatus.Failed)
                throw new InvalidOperationException($"Round {roundId}'s orchestration failed: {state.Output}");
            if (Finished(state)) return;
            var waiting = Waiting(state);
            if (waiting?.Wake >= wake) return;
            if (waiting is not null && DateTime.UtcNow > resendAt)
            {
                await RaiseWakeAsync(roundId, wake);
                resendAt = DateTime.UtcNow + ResendAfter;
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Round {roundId} did not take wake-up {wake} into account in {timeout}.");
            await Task.Delay(20, ct);
        }
    }

    /// <summary>Wakes the round and waits until it has taken that into account: time passing, for the simulation and
    /// tests that move business time by hand.</summary>
    public async Task WakeAndWaitAsync(string roundId, TimeSpan timeout, CancellationToken ct = default) =>
        await WaitForAsync(roundId, await WakeAsync(roundId, ct), timeout, ct);

    /// <summary>When the round next wakes by itself, in business time; null if it has finished or has no due time.
    /// A round between turns (a new execution has not yet said when it sleeps) is waited for, briefly.</summary>
    public async Task<DateTimeOffset?> NextWakeAsync(string roundId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var state = await Client.GetOrchestrationStateAsync(roundId);
            if (Waiting(state) is { } waiting) return waiting.WakeAt;
            if (state is null || !Live.Contains(state.OrchestrationStatus) || DateTime.UtcNow > deadline)
                return null;
            await Task.Delay(20);
        }
    }

    /// <summary>The last wake-up the round has taken into account (it decided after it and is waiting again);
    /// <see cref="long.MaxValue"/> once the round's orchestration has finished, 0 while it is busy.</summary>
    public async Task<long> TakenIntoAccountAsync(string roundId) =>
        await Client.GetOrchestrationStateAsync(roundId) is { } state
            ? Finished(state) ? long.MaxValue : Waiting(state)?.Wake ?? 0
            : 0;

    /// <summary>The input of the round's current turn, or null if it has none.</summary>
    public async Task<RoundRun?> InputAsync(string roundId) =>
        await Client.GetOrchestrationStateAsync(roundId) is { Input: { Length: > 0 } json }
            ? JsonSerializer.Deserialize<RoundRun>(json, JsonSerializerOptions.Web)
            : null;

    private static bool Finished(OrchestrationState? state) =>
        state?.OrchestrationStatus is CoreStatus.Completed or CoreStatus.Terminated or CoreStatus.Canceled;

    private static RoundWaiting? Waiting(OrchestrationState? state) =>
        state is { OrchestrationStatus: CoreStatus.Running, Status: { Length: > 0 } json }
            ? JsonSerializer.Deserialize<RoundWaiting>(json, JsonSerializerOptions.Web)
            : null;

    private async Task<bool> TryStartAsync(string roundId, long wake)
    {
        try
        {
            // (name, version, id, input): the three-string overload would take the id as the version (durable.md).
            await Client.CreateOrchestrationInstanceAsync(RoundOrchestration.Name, "", roundId,
                new RoundRun(roundId, clock.Scale, wake), null, Live);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }

    private static AzureStorageOrchestrationServiceSettings Settings(
        StorageOptions storage, DurableOptions options, DurableStorageMeter meter, ILoggerFactory loggers) => new()
    {
        StorageAccountClientProvider = StorageClients.ForDurableEngine(storage, meter),
        TaskHubName = string.IsNullOrWhiteSpace(options.TaskHub) ? storage.TablePrefix + "hub" : options.TaskHub,
        PartitionCount = 1, // one orchestration a quarter: one control queue is plenty
        // Without it a second start of a running round is dropped silently instead of refused.
        ThrowExceptionOnInvalidDedupeStatus = true,
        MaxQueuePollingInterval = TimeSpan.FromMilliseconds(options.MaxPollingIntervalMs),
        WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(options.VisibilityTimeoutSeconds),
        ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(options.VisibilityTimeoutSeconds),
        // Unique among the engines of one process (tests run two instances side by side), and the same again after a
        // restart, so a process killed mid-turn takes its own partition lease back at once.
        WorkerId = $"{Environment.MachineName}-{Interlocked.Increment(ref _engines)}",
        LoggerFactory = loggers,
    };

    private static int _engines;

    /// <summary>The client's payloads in the shims' own JSON (System.Text.Json), so the orchestrator reads
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
