using System.Text.Json;
using KaWorkflow.Hosting;
using KaWorkflow.Rounds;
using Microsoft.DurableTask.Client;

namespace KaWorkflow.Demo;

/// <summary>
/// Drives a round's orchestrations on a clock moved by hand (the tests, the simulation, the benchmarks), where no
/// durable timer fires: tells the round, and every lead it chases whose next moment has come, that time has moved,
/// and waits until each has taken that in and is waiting again, or has finished. Only observers use the token it
/// sends; the app's own logic never reads it.
/// </summary>
/// <remarks>A lead asleep until a moment still to come (<see cref="AdjustableClock.Sleeps"/>) is not told: their
/// timer would not have fired either, and each needless wake is history the engine stores and reads back.</remarks>
public sealed class EngineDriver(IDurableClients clients, AdjustableClock clock)
{
    private DurableTaskClient Client => clients.Client;

    /// <summary>Tells the round's orchestrations that time has moved and waits until they have all acted on it and
    /// are waiting again (or have finished).</summary>
    /// <exception cref="InvalidOperationException">The round's orchestration failed.</exception>
    /// <exception cref="TimeoutException">They did not settle within <paramref name="timeout"/>.</exception>
    public async Task SettleAsync(string roundId, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var token = Guid.NewGuid().ToString("N");
            if (await SeenAsync(roundId, token, deadline, ct) is not RoundWaiting round) return; // finished
            var settled = true;
            var options = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct };
            await Parallel.ForEachAsync(round.Chasing, options, async (lead, token2) =>
            {
                if (await SeenAsync(Orchestrations.LeadInstanceId(roundId, lead), token, deadline, token2) is null)
                    settled = false; // it finished: the round has that to act on
            });
            if (settled) return;
        }
    }

    /// <summary>Raises the token to a running instance and waits until its custom status shows it (it is waiting
    /// again). Returns that status, or null once the instance has finished.</summary>
    private async Task<object?> SeenAsync(string instanceId, string token, DateTime deadline, CancellationToken ct)
    {
        var isRound = !Orchestrations.IsLeadInstance(instanceId);
        var raised = false;
        while (true)
        {
            var m = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
            if (m?.RuntimeStatus == OrchestrationRuntimeStatus.Failed && isRound)
                throw new InvalidOperationException($"Round {instanceId}'s orchestration failed: " +
                    $"{m.FailureDetails?.ErrorMessage ?? m.SerializedOutput}");
            if (m is { IsCompleted: true }) return null;
            var status = m?.SerializedCustomStatus is { Length: > 0 } json
                ? isRound ? JsonSerializer.Deserialize<RoundWaiting>(json, JsonSerializerOptions.Web)
                    : (object?)JsonSerializer.Deserialize<LeadWaiting>(json, JsonSerializerOptions.Web)
                : null;
            var seen = status switch { RoundWaiting r => r.Seen, LeadWaiting l => l.Seen, _ => null };
            if (raised && seen?.Contains(token) == true) return status;
            if (!raised && status is LeadWaiting && clock.Sleeps(instanceId)) return status;
            // Raised once it has begun: an event to an instance not yet started is lost.
            if (!raised && m is { RuntimeStatus: OrchestrationRuntimeStatus.Running } && status is not null)
            {
                await Client.RaiseEventAsync(instanceId,
                    isRound ? RoundOrchestration.SignalEvent : LeadOrchestration.ChangedEvent,
                    isRound ? new RoundSignal(Seen: token) : token, ct);
                raised = true;
            }
            if (m is null && isRound && !raised) return null; // never started
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(
                    $"{instanceId} did not settle ({m?.RuntimeStatus}, status {m?.SerializedCustomStatus}).");
            await Task.Delay(20, ct);
        }
    }
}
