using System.Text.Json;
using KaWorkflow.Hosting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace KaWorkflow.Rounds;

/// <summary>Where the app's durable client comes from: the Functions invocation's binding in Azure, the local
/// engine's own client here, the in-memory test host's in its tests.</summary>
public interface IDurableClients
{
    DurableTaskClient Client { get; }
}

/// <summary>
/// Starts rounds' orchestrations and tells them of changes, through the host's durable client. Events go by
/// instance id alone: an execution id changes at every continue-as-new.
/// </summary>
public sealed class RoundRunner(IDurableClients clients, AdjustableClock clock,
    [FromKeyedServices(RoundOrchestration.Name)] ITaskOrchestrator code, ILogger<RoundRunner> log)
{
    private DurableTaskClient Client => clients.Client;

    /// <summary>The version of the orchestrations this deployment runs.</summary>
    private int Version => (code as RoundOrchestration)?.Version ?? Orchestrations.Version;

    /// <summary>Starts the round's orchestration unless one is running; false if one was.</summary>
    public async Task<bool> StartAsync(string roundId, CancellationToken ct = default)
    {
        if (await LiveAsync(roundId, ct) is not null) return false;
        try
        {
            await Client.ScheduleNewOrchestrationInstanceAsync(RoundOrchestration.Name,
                new RoundRun(roundId, clock.Scale, Version), new StartOrchestrationOptions(roundId), ct);
            return true;
        }
        catch (InvalidOperationException e)
        {
            // Another instance of the app started it meanwhile.
            if (await LiveAsync(roundId, ct) is null) throw;
            log.LogInformation(e, "{Round} was started elsewhere meanwhile", roundId);
            return false;
        }
    }

    /// <summary>One message and no read: a lead's return changed while their orchestration runs (their first
    /// submission). Were it not running, the hourly check finds the lead's work in the tables.</summary>
    public Task NotifyLeadAsync(string roundId, string leadKey, CancellationToken ct = default)
    {
        var id = Orchestrations.LeadInstanceId(roundId, leadKey);
        Acting(id);
        return Client.RaiseEventAsync(id, LeadOrchestration.ChangedEvent, (string?)null, ct);
    }

    /// <summary>A rehearsal's clock holds business time while the one told acts on it (it says its next moment as
    /// it reads); on the real clock this does nothing.</summary>
    private void Acting(string instanceId) => clock.Expect(instanceId, clock.GetUtcNow());

    /// <summary>
    /// Tells a round that the returns or mail of <paramref name="leads"/> changed, or (with <paramref name="owed"/>)
    /// that it owes a new effect of its own: each lead's orchestration if it runs, else the round, which starts it
    /// again; the round's own orchestration is started if it is not running, and reads who has work.
    /// </summary>
    public async Task TellAsync(string roundId, IEnumerable<string> leads, bool owed = false,
        CancellationToken ct = default)
    {
        if (await LiveAsync(roundId, ct) is null)
        {
            await StartAsync(roundId, ct);
            return;
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct };
        await Parallel.ForEachAsync(leads.Distinct(), options, async (lead, token) =>
        {
            var id = Orchestrations.LeadInstanceId(roundId, lead);
            Acting(id); // told directly, or started again by the round
            if (await LiveAsync(id, token) is not null)
                await Client.RaiseEventAsync(id, LeadOrchestration.ChangedEvent, (string?)null, token);
            else
                await Client.RaiseEventAsync(roundId, RoundOrchestration.SignalEvent, new RoundSignal(lead), token);
        });
        if (owed)
        {
            Acting(roundId);
            await Client.RaiseEventAsync(roundId, RoundOrchestration.SignalEvent, new RoundSignal(Owed: true), ct);
        }
    }

    /// <summary>
    /// Makes sure a round with work has its orchestrations running the current code. A round whose orchestration is
    /// not running (it failed, was ended by hand, or never started), or runs another
    /// <see cref="RoundOrchestration.Version"/>,
    /// is ended with its leads' orchestrations and started again from the tables; a lead with work whose
    /// orchestration is not running is handed to the round. Says what it did, in lines for the log.
    /// </summary>
    public async Task<IReadOnlyList<string>> HealAsync(string roundId, IReadOnlyList<string> leadsWithWork,
        IReadOnlyList<string> allLeads, CancellationToken ct = default)
    {
        var round = await LiveAsync(roundId, ct);
        var version = round?.SerializedInput is { } input
            ? JsonSerializer.Deserialize<RoundRun>(input, JsonSerializerOptions.Web)?.Version : null;
        if (round is not null && version == Version)
        {
            var lines = new List<string>();
            foreach (var lead in leadsWithWork)
                if (await LiveAsync(Orchestrations.LeadInstanceId(roundId, lead), ct) is null)
                {
                    await Client.RaiseEventAsync(roundId, RoundOrchestration.SignalEvent, new RoundSignal(Lead: lead),
                        ct);
                    lines.Add($"{roundId}: {lead}'s orchestration was not running; the round starts it again");
                }
            return lines;
        }
        // Ended first, with every lead's (a lead left running would never report to the new round), then started.
        var ended = await EndAsync([roundId, .. allLeads.Select(l => Orchestrations.LeadInstanceId(roundId, l))], ct);
        if (!ended) return [$"{roundId}: its orchestrations are still ending; the next check starts it again"];
        await StartAsync(roundId, ct);
        return [round is null
            ? $"{roundId}: its orchestration was not running; started it again from the tables"
            : $"{roundId}: its orchestration ran version {version}; ended and started again on version {Version}"];
    }

    /// <summary>Ends the instances that are running and waits (a minute at most) until none is.</summary>
    private async Task<bool> EndAsync(IReadOnlyList<string> instances, CancellationToken ct)
    {
        var live = new List<string>();
        foreach (var id in instances)
            if (await LiveAsync(id, ct) is not null)
            {
                live.Add(id);
                await Client.TerminateInstanceAsync(id, "Restarted from the tables", ct);
            }
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (live.Count > 0)
        {
            var still = new List<string>();
            foreach (var id in live) if (await LiveAsync(id, ct) is not null) still.Add(id);
            live = still;
            if (live.Count == 0) break;
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(100, ct);
        }
        if (instances.Count > 0) log.LogInformation("Ended the orchestrations of {Round}", instances[0]);
        return true;
    }

    /// <summary>The instance if it is running or about to; null if it is not.</summary>
    private async Task<OrchestrationMetadata?> LiveAsync(string instanceId, CancellationToken ct) =>
        await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct) is { } m && Live(m.RuntimeStatus)
            ? m : null;

    private static bool Live(OrchestrationRuntimeStatus status) => status is OrchestrationRuntimeStatus.Running
        or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended
#pragma warning disable CS0618 // reported between executions by some backends
        or OrchestrationRuntimeStatus.ContinuedAsNew;
#pragma warning restore CS0618
}
