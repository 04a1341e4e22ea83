using KaWorkflow.Rounds;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Functions;

/// <summary>
/// Starts and wakes rounds through the Durable Functions client that the current invocation was given: the
/// Functions host hands a <see cref="DurableTaskClient"/> to each function through its binding, not through services.
/// </summary>
public sealed class DurableFunctionsRunner : IRoundRunner
{
    private static readonly AsyncLocal<DurableTaskClient?> Current = new();

    /// <summary>Makes the invocation's client the one rounds are started and woken with, until disposed.</summary>
    public static IDisposable Use(DurableTaskClient client)
    {
        Current.Value = client;
        return new Reset();
    }

    private static DurableTaskClient Client =>
        Current.Value ?? throw new InvalidOperationException("No Durable Functions client for this invocation.");

    public async Task<bool> StartAsync(string roundId, CancellationToken ct = default)
    {
        if (await LiveAsync(roundId, ct)) return false;
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(RoundOrchestration), new RoundRun(roundId),
            new StartOrchestrationOptions(InstanceId: roundId), ct);
        return true;
    }

    public async Task<long> WakeAsync(string roundId, CancellationToken ct = default)
    {
        var wake = WakeNumbers.Next();
        // By instance id alone: an execution id changes at every continue-as-new (durable.md).
        if (await LiveAsync(roundId, ct))
            await Client.RaiseEventAsync(roundId, RoundOrchestration.WakeEvent, wake, ct);
        else
            await Client.ScheduleNewOrchestrationInstanceAsync(nameof(RoundOrchestration), new RoundRun(roundId, Wake: wake),
                new StartOrchestrationOptions(InstanceId: roundId), ct);
        return wake;
    }

    public async Task<long> NotifyAsync(string roundId, CancellationToken ct = default)
    {
        var wake = WakeNumbers.Next();
        await Client.RaiseEventAsync(roundId, RoundOrchestration.WakeEvent, wake, ct);
        return wake;
    }

    /// <summary>Whether the round's orchestration is running or about to: one read of its instance.</summary>
    private static async Task<bool> LiveAsync(string roundId, CancellationToken ct) =>
        await Client.GetInstanceAsync(roundId, ct) is { IsRunning: true } or
            { RuntimeStatus: OrchestrationRuntimeStatus.Pending };

    private sealed class Reset : IDisposable
    {
        public void Dispose() => Current.Value = null;
    }
}

/// <summary>Registers <see cref="DurableFunctionsRunner"/> as the app's <see cref="IRoundRunner"/>.</summary>
public static class DurableFunctionsRunnerRegistration
{
    public static IServiceCollection AddDurableFunctionsRunner(this IServiceCollection services) =>
        services.AddSingleton<IRoundRunner, DurableFunctionsRunner>();
}
