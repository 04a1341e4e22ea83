using Microsoft.DurableTask;

namespace KaWorkflow.Rounds;

/// <summary>A lead's orchestration input: the lead and round, the clock's scale (see <see cref="RoundRun"/>), the
/// code's version, and the observers' tokens it took in (kept across a continue-as-new).</summary>
public sealed record LeadRun(string RoundId, string LeadKey, double Scale, int Version = Orchestrations.Version,
    IReadOnlyList<string>? Seen = null)
{
    public LeadRef Lead => new(RoundId, LeadKey);
}

/// <summary>One lead in one round, as an activity's input.</summary>
public sealed record LeadRef(string RoundId, string LeadKey);

/// <summary>A waiting lead's custom status: the observers' tokens it took in (<see cref="Orchestrations.Saw"/>), and
/// when it next looks by itself (business time).</summary>
public sealed record LeadWaiting(IReadOnlyList<string> Seen, DateTimeOffset? WakeAt);

/// <summary>
/// One lead's chase in one round (instance id <c>{round}|{lead}</c>): send what the lead is owed (the invitation
/// first), then, until they have submitted or been excused, wait for a change or for the chase policy's next step on
/// a durable timer, and take that step: a reminder, an overdue notice, an escalation copied to the escalation contact.
/// </summary>
/// <remarks>
/// The tables are the truth: every step is <see cref="ChaseLead"/>, which reads them first, so an instance ended at
/// any point and started again carries on where the tables say, and sends nothing twice. Deterministic: time, ids and
/// I/O come only through the context and activities.
/// </remarks>
public class LeadOrchestration : TaskOrchestrator<LeadRun, string>
{
    public const string Name = nameof(LeadOrchestration);

    /// <summary>Raised (by instance id) when the lead's return or mail changes: a submission, a save, an action of
    /// the performance team, a delegate named or stopped. Its payload is an observer's token, or null.</summary>
    public const string ChangedEvent = "changed";

    /// <summary>Steps (each change taken in counts as one) an execution takes before it continues as new, so a lead
    /// who changes their delegate a thousand times keeps a short history.</summary>
    public const int MostStepsPerExecution = 50;

    public override async Task<string> RunAsync(TaskOrchestrationContext context, LeadRun run)
    {
        var seen = run.Seen ?? [];
        for (var steps = 0; steps < MostStepsPerExecution; steps++)
        {
            // Send what the lead is owed now (the invitation first), and the chase step that is due: a reminder, an
            // overdue notice, an escalation copied to the escalation contact. Then see where the lead stands.
            var lead = await context.CallActivityAsync<LeadStanding>(nameof(ChaseLead), run.Lead, Orchestrations.Retry);
            if (lead.Finished) return $"{run.LeadKey}: nothing more to do";
            if (lead.ActNow) continue; // more came due meanwhile
            var (taken, changes) = await WaitForChangeOrTimeAsync(context, run, lead, seen);
            (seen, steps) = (taken, steps + changes);
        }
        // No timer is left open to hold this back: every wait cancels the one it did not take.
        context.ContinueAsNew(run with { Seen = seen });
        return "continued";
    }

    /// <summary>Waits for a change to the lead or for their next business time on a durable timer, whichever comes
    /// first, and cancels the other. Changes that came meanwhile are taken in with it: one read serves them all.
    /// Returns the observers' tokens taken in and how many changes came.</summary>
    /// <remarks>The timer counts from now, just after the activity's closing read: late by the engine's latency, never
    /// early, so a wake does not find its step still to come and sleep again.</remarks>
    private static async Task<(IReadOnlyList<string> Seen, int Changes)> WaitForChangeOrTimeAsync(
        TaskOrchestrationContext context, LeadRun run, LeadStanding lead, IReadOnlyList<string> seen)
    {
        context.SetCustomStatus(new LeadWaiting(seen, lead.WakeAt));
        using var cancel = new CancellationTokenSource();
        var change = context.WaitForExternalEvent<string?>(ChangedEvent, cancel.Token);
        // On a clock moved by hand, or one whose rehearsal wakes the lead at its moment, there is no timer: whoever
        // moves the clock raises the change.
        var timer = !lead.ClockWakes && Orchestrations.Sleep(lead.Now, lead.WakeAt, run.Scale) is { } sleep
            ? context.CreateTimer(context.CurrentUtcDateTime + sleep, cancel.Token)
            : null;
        await Task.WhenAny(timer is null ? [change] : [change, timer]);
        cancel.Cancel();
        if (!change.IsCompletedSuccessfully) return (seen, 0);
        var changes = 1;
        seen = Orchestrations.Saw(seen, change.Result);
        while (true)
        {
            // A change already received is there at once; the first that is not is cancelled, so it stays for later.
            using var probe = new CancellationTokenSource();
            var more = context.WaitForExternalEvent<string?>(ChangedEvent, probe.Token);
            if (!more.IsCompletedSuccessfully)
            {
                probe.Cancel();
                return (seen, changes);
            }
            (seen, changes) = (Orchestrations.Saw(seen, more.Result), changes + 1);
        }
    }
}
