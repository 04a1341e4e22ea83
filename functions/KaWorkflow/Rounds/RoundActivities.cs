using System.Diagnostics;
using System.Diagnostics.Metrics;
using Azure;
using KaWorkflow.Register;
using KaWorkflow.Reminders;
using Microsoft.DurableTask;
using LeadRows = (KaWorkflow.Rounds.RoundHeader Header, KaWorkflow.Rounds.LeadReturn Return,
    System.Collections.Generic.List<KaWorkflow.Rounds.Effect> Mail);

namespace KaWorkflow.Rounds;

/// <summary>
/// What the round's and the leads' orchestrations do outside themselves. Each runs at least once (a crash replays
/// it), so each is idempotent: decisions commit with ETags, and every effect is claimed, performed and marked done in
/// the round's outbox, so a repeat finds it done.
/// </summary>
/// <remarks>Each read tells the clock when its orchestration next has something to do, so a rehearsal's clock waits
/// for it (<see cref="Hosting.AdjustableClock.Expect"/>); on the real clock that does nothing.</remarks>
public sealed class RoundActivities(
    RoundStore store, RegisterStore register, RoundEngine engine, EffectDispatcher dispatcher, ChasePolicy policy,
    Hosting.AdjustableClock clock, ILogger<RoundActivities> log)
{
    /// <summary>The rounds' own metrics, for Application Insights and the benchmarks.</summary>
    public static readonly Meter Meter = new("KaWorkflow.Rounds");

    /// <summary>Each read of a lead's state by their orchestration, recorded as it ends: a change stored before the
    /// read started has then been taken into account.</summary>
    public static readonly Histogram<double> LeadReads = Meter.CreateHistogram<double>(
        "kaworkflow.lead.read.duration", "ms", "Time a lead's orchestration took to read where the lead stands");

    /// <summary>The round's plan as the tables have it, after finishing its opening if a crash interrupted
    /// it.</summary>
    public async Task<RoundPlan> ReadRoundAsync(string roundId, CancellationToken ct = default)
    {
        var round = await store.LoadSnapshotAsync(roundId, ct);
        if (round is null) return RoundPlan.None;
        if (round.Header.Status == RoundStatus.Opening)
        {
            var activities = await engine.WithLastQuarterAsync(await register.LoadAsync(ct), roundId, ct);
            var plan = RoundDecisions.Open(round.Header.Quarter, activities, round.Header.OpenedAt, policy, "resume");
            await RoundEngine.FinishOpeningAsync(store, plan with { Header = round.Header }, ct);
            round = await store.LoadSnapshotAsync(roundId, ct) ?? throw new InvalidOperationException(
                $"Round {roundId} vanished while opening.");
        }
        return Expected(roundId, RoundPlan.Of(round, clock.GetUtcNow()));
    }

    private RoundPlan Expected(string roundId, RoundPlan plan)
    {
        var now = clock.GetUtcNow();
        clock.Expect(roundId, plan.Owed.Count > 0 ? now : plan.RetryAt);
        // Leads about to be started have their first read to do; one already running has said its own.
        foreach (var lead in plan.Leads)
            clock.Expect(Orchestrations.LeadInstanceId(roundId, lead), now, replace: false);
        return plan;
    }

    /// <summary>Completes the round if every return is in (sealing the returns and queuing its report), then says
    /// what is left.</summary>
    public async Task<RoundPlan> FinishRoundAsync(string roundId, CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var round = await store.LoadSnapshotAsync(roundId, ct);
            if (round is null || round.Header.Status == RoundStatus.Opening) break;
            var now = clock.GetUtcNow();
            var changes = RoundDecisions.Finish(round, now);
            if (changes.Count == 0) return Expected(roundId, RoundPlan.Of(round, now));
            try
            {
                await store.CommitAsync(roundId, changes, ct: ct);
                log.LogInformation("{Round}: complete, {Returns} returns in", roundId, round.Returns.Count);
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409)
            {
                // A lead saved or an action landed meanwhile: decide again on fresh state.
            }
        }
        return await ReadRoundAsync(roundId, ct);
    }

    /// <summary>Performs one of the round's own effects: a draft, the report, the notice that it is ready.</summary>
    public Task RunRoundEffectAsync(EffectRef effect, CancellationToken ct = default) =>
        dispatcher.RunAsync(effect.RoundId, effect.EffectId, ct);

    /// <summary>
    /// Chases the lead one step: sends what they are owed now (the invitation first; a new link, a delegate's link,
    /// a notice of a reassignment), takes the chase step the policy has due (a reminder, an overdue notice, an
    /// escalation), and says where the lead then stands. One activity, not one per e-mail: each activity call is a
    /// round trip through the engine's queues and history, and this is the whole of a lead's work.
    /// </summary>
    public async Task<LeadStanding> ChaseLeadAsync(LeadRef lead, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var said = clock.Said;
        var (standing, read) = await StandingAsync(lead, ct);
        LeadReads.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            new KeyValuePair<string, object?>("round", lead.RoundId), new("lead", lead.LeadKey));
        // A step can make another due (a reminder decided is then owed): a few passes, then the orchestration asks
        // again, so one lead never holds an activity slot for long.
        for (var pass = 0; pass < 3 && standing.ActNow && read is (var header, _, var mail); pass++)
        {
            // The rows just read are the ones to act on: their ETags guard every update, so nothing is read twice.
            foreach (var id in standing.Owed)
                await dispatcher.RunAsync(header, mail.First(e => e.Id == id), ct);
            // Sending may have changed the return (its link recorded): then the chase step reads it afresh.
            if (standing.ChaseDue) await TakeChaseStepAsync(lead, standing.Owed.Count == 0 ? read : null, ct);
            (standing, read) = await StandingAsync(lead, ct);
        }
        clock.Expect(Orchestrations.LeadInstanceId(lead.RoundId, lead.LeadKey),
            standing.Finished ? null : standing.ActNow ? standing.Now : standing.WakeAt, readSince: said);
        return standing;
    }

    private async Task<(LeadStanding, LeadRows?)> StandingAsync(LeadRef lead, CancellationToken ct)
    {
        var read = await store.LoadLeadMailAsync(lead.RoundId, lead.LeadKey, ct);
        var now = clock.GetUtcNow();
        var standing = read is { } l ? LeadPlan.Of(l.Header, l.Return, l.Mail, now)
            : new LeadStanding(now, [], false, null, Finished: true);
        return (standing with { ClockWakes = clock.WakesSleepers }, read);
    }

    /// <summary>Takes the chase step that is due for the lead (a reminder, an overdue notice, an escalation, or a
    /// schedule rebased after the deadline moved) and sends the reminder it decided on.</summary>
    /// <param name="read">The lead's rows as just read, if nothing has changed them since; else they are read.</param>
    private async Task TakeChaseStepAsync(LeadRef lead, LeadRows? read, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var rows = attempt == 0 && read is not null ? read
                : await store.LoadLeadMailAsync(lead.RoundId, lead.LeadKey, ct);
            if (rows is not (var header, var ret, _)) return;
            if (RoundDecisions.Chase(header, ret, clock.GetUtcNow(), policy) is not { } change) return;
            try
            {
                await store.CommitAsync(lead.RoundId, [change], ct: ct);
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409)
            {
                continue; // the lead saved meanwhile: decide again
            }
            foreach (var reminder in change.Effects ?? [])
            {
                log.LogInformation("{Round}: {Reminder} decided", lead.RoundId, reminder.Id);
                await dispatcher.RunAsync(lead.RoundId, reminder.Id, ct);
            }
            return;
        }
    }
}

/// <summary>Activity: the round's plan (<see cref="RoundActivities.ReadRoundAsync"/>).</summary>
public sealed class ReadRound(RoundActivities activities) : TaskActivity<string, RoundPlan>
{
    public override Task<RoundPlan> RunAsync(TaskActivityContext context, string roundId) =>
        activities.ReadRoundAsync(roundId);
}

/// <summary>Activity: completes a round whose returns are all in
/// (<see cref="RoundActivities.FinishRoundAsync"/>).</summary>
public sealed class FinishRound(RoundActivities activities) : TaskActivity<string, RoundPlan>
{
    public override Task<RoundPlan> RunAsync(TaskActivityContext context, string roundId) =>
        activities.FinishRoundAsync(roundId);
}

/// <summary>Activity: one of the round's own effects (<see cref="RoundActivities.RunRoundEffectAsync"/>).</summary>
public sealed class RunRoundEffect(RoundActivities activities) : TaskActivity<EffectRef, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, EffectRef effect)
    {
        await activities.RunRoundEffectAsync(effect);
        return true;
    }
}

/// <summary>Activity: a lead's next chase step, and where they then stand
/// (<see cref="RoundActivities.ChaseLeadAsync"/>).</summary>
public sealed class ChaseLead(RoundActivities activities) : TaskActivity<LeadRef, LeadStanding>
{
    public override Task<LeadStanding> RunAsync(TaskActivityContext context, LeadRef lead) =>
        activities.ChaseLeadAsync(lead);
}
