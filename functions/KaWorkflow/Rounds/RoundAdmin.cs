using Azure;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Reminders;

namespace KaWorkflow.Rounds;

/// <summary>A performance-team action as the admin API and the dashboard ask for it.</summary>
/// <param name="Lead">The lead's e-mail address, where the action is about one lead.</param>
/// <param name="Code">The activity code, for reassigning or excusing one activity.</param>
/// <param name="ToLead">The e-mail address of the lead an activity moves to.</param>
/// <param name="Deadline">The new deadline (a London date; the round's send window closes that day).</param>
public sealed record ActionRequest(string Reason, string? Lead = null, string? Code = null, string? ToLead = null,
    DateOnly? Deadline = null);

/// <summary>The names of the actions, as they appear in routes and the event log.</summary>
public static class ActionNames
{
    public const string Extend = "extend-deadline", Reassign = "reassign", Excuse = "excuse", Resend = "resend-invite",
        Close = "close", Reopen = "reopen";
    public static readonly string[] All = [Extend, Reassign, Excuse, Resend, Close, Reopen];
}

/// <summary>
/// Carries out performance-team actions: loads the round, asks <see cref="RoundActions"/> what to do, commits it
/// ETag-guarded (deciding again if something moved meanwhile) and tells the orchestrations of the leads it changed.
/// </summary>
public sealed class RoundAdmin(
    RoundStore store, RegisterStore register, ChasePolicy policy, MailOptions mail, TimeProvider clock,
    RoundRunner runner)
{
    /// <summary>
    /// Asks for a DRAFT report of an open round, as the next version (so no version is ever overwritten): the
    /// round's orchestration assembles it in a moment. Returns that version number, or null if the round is not open.
    /// </summary>
    public async Task<int?> AssembleDraftAsync(string roundId, string actor, CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var header = await store.GetHeaderAsync(roundId, ct);
            if (header is not { Status: RoundStatus.Open }) return null;
            var version = header.ReportVersion + 1;
            var now = clock.GetUtcNow();
            try
            {
                await store.CommitAsync(roundId, [new Change(Header: header with { ReportVersion = version },
                    Effects: [Effect.Draft(version, now)],
                    Events: [new RoundEvent(now, "draft-report", actor, Detail: $"version {version}")])], ct: ct);
            }
            catch (Azure.RequestFailedException e) when (e.Status is 412 or 409)
            {
                continue;
            }
            await runner.TellAsync(roundId, [], owed: true, ct);
            return version;
        }
        return null;
    }

    public async Task<ActionOutcome> RunAsync(string roundId, string action, ActionRequest request, string actor,
        CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(request.Reason)) return ActionOutcome.Refused("Give a reason: it is kept in the round's history.");
        if (request.Reason.Length > 500) return ActionOutcome.Refused("Keep the reason under 500 characters.");
        for (var attempt = 0; ; attempt++)
        {
            var round = await store.LoadSnapshotAsync(roundId, ct);
            if (round is null) return ActionOutcome.Refused($"There is no round {roundId}.");
            var context = new ActionContext(actor, request.Reason.Trim(), clock.GetUtcNow());
            var outcome = await DecideAsync(round, action, request, context, ct);
            if (!outcome.Ok) return outcome;
            try
            {
                await store.CommitAsync(roundId, outcome.Changes, ct: ct);
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409 && attempt < 3)
            {
                continue; // a lead saved or an orchestration moved meanwhile: decide again on fresh state
            }
            await runner.TellAsync(roundId, Touched(round, outcome.Changes), ct: ct);
            return outcome;
        }
    }

    /// <summary>The leads a change concerns: every lead when the round's deadline or status moved, else those whose
    /// return changed (not merely sealed as it was) or who have new mail.</summary>
    internal static IEnumerable<string> Touched(RoundSnapshot before, IEnumerable<Change> changes)
    {
        var was = before.Returns.ToDictionary(r => r.LeadKey);
        foreach (var change in changes)
        {
            if (change.Header is { } h && (h.Deadline, h.Status) != (before.Header.Deadline, before.Header.Status))
                foreach (var lead in was.Keys) yield return lead;
            foreach (var ret in change.Returns ?? [])
                if (!was.TryGetValue(ret.LeadKey, out var old) || old with { ETag = null } != ret with { ETag = null })
                    yield return ret.LeadKey;
            foreach (var effect in change.Effects ?? [])
                if (effect.LeadKey is { } lead) yield return lead;
        }
    }

    private async Task<ActionOutcome> DecideAsync(RoundSnapshot round, string action, ActionRequest request,
        ActionContext context, CancellationToken ct)
    {
        LeadReturn? Lead(string? email) =>
            email is null ? null : round.Returns.FirstOrDefault(r => r.LeadKey == email.Trim().ToLowerInvariant());
        async Task<(ReturnItem? Item, List<ReturnItem> All)> FindAsync(string code)
        {
            var all = await store.LoadItemsAsync(round.Header.Id, ct);
            return (all.FirstOrDefault(i => i.Code.Equals(code.Trim(), StringComparison.OrdinalIgnoreCase)), all);
        }
        var lead = Lead(request.Lead);
        if (request.Lead is not null && lead is null) return ActionOutcome.Refused($"{request.Lead} has no return in {round.Header.Id}.");
        switch (action)
        {
            case ActionNames.Extend:
                if (request.Deadline is not { } date) return ActionOutcome.Refused(
                    "Give the new deadline as a date, for example 2024-07-26.");
                return RoundActions.ExtendDeadline(round.Header, lead, WorkingCalendar.AtLocal(date,
                    policy.Options.SendWindowEnd), context);
            case ActionNames.Reassign:
            {
                if (request.Code is null || request.ToLead is null) return ActionOutcome.Refused(
                    "Give the activity code and the lead it moves to.");
                var to = Lead(request.ToLead);
                if (to is null) return ActionOutcome.Refused(
                    $"{request.ToLead} has no return in {round.Header.Id}; they must be a lead in this round.");
                var (item, _) = await FindAsync(request.Code);
                if (item is null) return ActionOutcome.Refused($"{request.Code} is not in {round.Header.Id}.");
                var giver = round.Returns.First(r => r.LeadKey == item.LeadKey);
                return RoundActions.Reassign(round.Header, giver, item, to, context, mail.PerformanceTeam);
            }
            case ActionNames.Excuse:
            {
                if (request.Code is { } code)
                {
                    var (item, all) = await FindAsync(code);
                    if (item is null) return ActionOutcome.Refused($"{code} is not in {round.Header.Id}.");
                    var owner = round.Returns.First(r => r.LeadKey == item.LeadKey);
                    return RoundActions.ExcuseActivity(round.Header, owner,
                        all.Where(i => i.LeadKey == owner.LeadKey).ToList(), item.Code, context);
                }
                return lead is null
                    ? ActionOutcome.Refused("Name the lead or the activity to excuse.")
                    : RoundActions.ExcuseLead(round.Header, lead, context);
            }
            case ActionNames.Resend:
                return lead is null
                    ? ActionOutcome.Refused("Name the lead to send a new link to.")
                    : RoundActions.ResendInvite(round.Header, lead, context);
            case ActionNames.Close:
                return RoundActions.Close(round, context);
            case ActionNames.Reopen:
                return lead is null
                    ? ActionOutcome.Refused("Name the lead whose return to reopen.")
                    : RoundActions.Reopen(round, lead, context, policy);
            default:
                return ActionOutcome.Refused($"Unknown action '{action}'. Actions: {string.Join(", ", ActionNames.All)}.");
        }
    }

    /// <summary>
    /// The chase calendar if nobody replied: for an existing round from its own dates; before a round exists, from
    /// the current register and its scheduled opening (or <paramref name="openAt"/>).
    /// </summary>
    public async Task<IReadOnlyList<PlannedMail>> ChaseCalendarAsync(Quarter quarter, DateTimeOffset? openAt,
        CancellationToken ct = default)
    {
        if (await store.LoadSnapshotAsync(quarter.RoundId, ct) is { } round)
            return ChaseCalendar.For(round.Header, round.Returns, policy, mail.PerformanceTeam);
        var activities = await register.LoadAsync(ct);
        if (activities.Count == 0) return [];
        return ChaseCalendar.ForRegister(quarter, activities, openAt ?? policy.ScheduledOpening(quarter), policy, mail.PerformanceTeam);
    }
}
