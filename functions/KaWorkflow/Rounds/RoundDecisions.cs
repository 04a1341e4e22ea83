using KaWorkflow.Register;
using KaWorkflow.Reminders;

namespace KaWorkflow.Rounds;

/// <summary>The plan for opening a round: the header first, then one change per lead, then the switch to
/// Open.</summary>
public sealed record OpenPlan(RoundHeader Header, RoundEvent Started, IReadOnlyList<Change> Leads, Change Finish);

/// <summary>
/// What opening, the passing of time and a submission do to a round. Pure functions of state, input and
/// time: no I/O, so every rule is tested without storage.
/// </summary>
public static class RoundDecisions
{
    public static OpenPlan Open(Quarter quarter, IReadOnlyList<KeyActivity> register, DateTimeOffset now, ChasePolicy policy, string actor)
    {
        if (register.Count == 0) throw new InvalidOperationException("The register is empty: import it before opening a round.");
        var deadline = policy.Deadline(now);
        var header = new RoundHeader(quarter.RoundId, RoundStatus.Opening, now, deadline, 0);
        var leads = register.GroupBy(a => a.LeadKey).Select(g =>
        {
            var first = g.First();
            var ret = new LeadReturn
            {
                LeadKey = g.Key, LeadName = first.LeadName, LeadEmail = first.LeadEmail,
                Status = ReturnStatus.NotOpened, ActivityCount = g.Count(),
                NextReminderAt = policy.NextAfter(0, deadline), ChaseDeadline = deadline,
                EscalationEmail = g.Select(a => a.EscalationEmail).FirstOrDefault(e => e is not null),
            };
            return new Change(
                Returns: [ret],
                Items: g.Select(ReturnItem.From).ToList(),
                Effects: [Effect.Invite(g.Key, ret.TokenGeneration, now)],
                Events: [new RoundEvent(now, "invite-queued", actor, g.Key)]);
        }).ToList();
        var finish = new Change(Events: [new RoundEvent(now, "opened", actor, Detail:
            $"{leads.Count} leads, {register.Count} activities, due {deadline:O}")]);
        return new OpenPlan(header, new RoundEvent(now, "opening", actor, Detail: quarter.RoundId), leads, finish);
    }

    /// <summary>
    /// What the passing of time does to a round: each outstanding lead's chase (<see cref="Chase"/>), then completion
    /// when nothing is outstanding (<see cref="Finish"/>).
    /// </summary>
    public static IReadOnlyList<Change> Advance(RoundSnapshot round, DateTimeOffset now, ChasePolicy policy) =>
        round.Header.Status != RoundStatus.Open ? []
            : [.. round.Returns.Select(r => Chase(round.Header, r, now, policy)).OfType<Change>(),
                .. Finish(round, now)];

    /// <summary>
    /// What the passing of time does to one lead's return: its chase schedule rebased where its deadline moved, or the
    /// reminder that has fallen due (one e-mail, however many slots went by unsent); null when nothing is due.
    /// </summary>
    public static Change? Chase(RoundHeader header, LeadReturn ret, DateTimeOffset now, ChasePolicy policy)
    {
        if (header.Status != RoundStatus.Open || !ret.Outstanding) return null;
        var due = ret.DueBy(header);
        if (ret.ChaseDeadline != due)
        {
            // The deadline moved (or the return is new to chasing): restart the schedule from the new date.
            var stage = policy.StagesPassed(due, now);
            return new Change(Returns: [ret with { ChaseDeadline = due, ChaseStage = stage,
                NextReminderAt = policy.NextAfter(stage, due) }]);
        }
        if (policy.DueNow(ret.ChaseStage, due, now) is not { } slot) return null;
        var number = ret.RemindersSent + 1;
        return new Change(
            Returns: [ret with
            {
                RemindersSent = number, ChaseStage = slot.Number, NextReminderAt = policy.NextAfter(slot.Number, due),
                FirstRemindedAt = ret.FirstRemindedAt ?? now,
            }],
            Effects: [Effect.Reminder(ret.LeadKey, number, slot.Escalated, now, planned: slot.At)],
            Events: [new RoundEvent(now, slot.Escalated ? "escalation-queued" : "reminder-queued", "schedule",
                ret.LeadKey, $"reminder {number}")]);
    }

    /// <summary>When the chase of one lead next needs a decision (now, if its deadline moved), or null when it is not
    /// being chased.</summary>
    public static DateTimeOffset? NextChase(RoundHeader header, LeadReturn ret, DateTimeOffset now) =>
        header.Status != RoundStatus.Open || !ret.Outstanding ? null
        : ret.ChaseDeadline != ret.DueBy(header) ? now
        : ret.NextReminderAt;

    /// <summary>An open round with every return in: each return sealed, then the round complete with its report
    /// queued. Nothing while anything is outstanding.</summary>
    public static IReadOnlyList<Change> Finish(RoundSnapshot round, DateTimeOffset now) =>
        round.Header.Status == RoundStatus.Open && round.Returns.Count > 0 && round.Returns.All(r => !r.Outstanding)
            ? [.. Seal(round.Returns), Complete(round.Header, now, "schedule", $"all {round.Returns.Count} returns in")]
            : [];

    /// <summary>
    /// Rewrites returns unchanged before the round stops taking answers, so their ETags move on and a form page shown
    /// before cannot save on its ticket (<see cref="Form.SaveTickets"/>): it must read, and then sees the round closed.
    /// </summary>
    internal static IEnumerable<Change> Seal(IEnumerable<LeadReturn> returns) =>
        returns.Select(r => new Change(Returns: [r]));

    /// <summary>Finishes a round (complete, or closed early) and queues the next version of its report.</summary>
    internal static Change Complete(RoundHeader header, DateTimeOffset now, string actor, string why, bool close = false)
    {
        var version = header.ReportVersion + 1;
        return new Change(
            Header: header with { Status = close ? RoundStatus.Closed : RoundStatus.Complete, CompletedAt = now, ReportVersion = version },
            Effects: [Effect.Report(version, now)],
            Events: [new RoundEvent(now, close ? "closed" : "completed", actor, Detail: $"{why}; report v{version} queued")]);
    }

    /// <summary>The earliest moment something in the round is due (a chase step, an e-mail, the report), or null when
    /// it is finished with: where a clock moved by hand goes next.</summary>
    public static DateTimeOffset? NextDue(RoundSnapshot round, DateTimeOffset now)
    {
        var candidates = round.Effects.Select(e => e.DueAt).ToList();
        if (round.Header.Status == RoundStatus.Opening) candidates.Add(now);
        candidates.AddRange(round.Returns.Select(r => NextChase(round.Header, r, now)));
        if (Finish(round, now).Count > 0) candidates.Add(now);
        return candidates.Where(c => c is not null).Min();
    }

    /// <summary>
    /// A lead saving (draft) or submitting answers. The caller validates the answers first; this decides what
    /// the save does to the return, or why it cannot happen.
    /// </summary>
    public static SaveOutcome Save(RoundHeader round, LeadReturn ret, IReadOnlyList<ReturnItem> items,
        IReadOnlyDictionary<string, Answer> answers, bool submit, DateTimeOffset now, string actor)
    {
        if (round.Status != RoundStatus.Open)
            return SaveOutcome.Refused("This round has closed, so the return can no longer be changed.");
        if (ret.Status is ReturnStatus.Excused or ReturnStatus.NoUpdate)
            return SaveOutcome.Refused(
                "The performance team has closed this return, so it can no longer be changed. Contact them if it " +
                "should be reopened.");
        var changed = new List<ReturnItem>();
        foreach (var item in items)
        {
            if (item.Excused) continue;
            if (!answers.TryGetValue(item.Code, out var a)) continue;
            var updated = item with { Status = a.Status, Progress = a.Progress, NextSteps = a.NextSteps };
            if (updated != item) changed.Add(updated);
        }
        var wasSubmitted = ret.Status == ReturnStatus.Submitted;
        var type = submit ? (wasSubmitted ? "amended" : "submitted") : "draft-saved";
        var updatedReturn = ret with
        {
            Status = submit || wasSubmitted ? ReturnStatus.Submitted : ReturnStatus.Draft,
            SavedAt = now, SavedBy = actor,
            SubmittedAt = submit ? now : ret.SubmittedAt, SubmittedBy = submit ? actor : ret.SubmittedBy,
            Version = ret.Version + 1,
        };
        var detail = changed.Count == 0 ? "no answers changed" : "changed " + string.Join(", ", changed.Select(c => c.Code));
        var version = new ReturnVersion(ret.LeadKey, updatedReturn.Version, now, actor, type,
            changed.Select(c => new ItemChange(c.Code, c.Status, c.Progress, c.NextSteps)).ToList());
        return SaveOutcome.Saved(new Change(Returns: [updatedReturn], Items: changed, Versions: [version],
            Events: [new RoundEvent(now, type, actor, ret.LeadKey, detail)]), firstSubmission: submit && !wasSubmitted);
    }

    /// <summary>
    /// A lead naming someone to fill the form in for them (or, with no e-mail, stopping the current delegate's link).
    /// The delegate's invitation carries <see cref="Mail.RoundMails.LinkPlaceholder"/> where their link goes.
    /// </summary>
    public static SaveOutcome NameDelegate(RoundHeader round, LeadReturn ret, string? name, string? email,
        DateTimeOffset now, string contact)
    {
        if (round.Status != RoundStatus.Open || !ret.Outstanding && ret.Status != ReturnStatus.Submitted)
            return SaveOutcome.Refused("This return can no longer be changed, so a delegate cannot be named.");
        var version = ret.Version + 1;
        if (email is null)
        {
            if (ret.Delegate is null) return SaveOutcome.Refused("There is no delegate to remove.");
            return SaveOutcome.Saved(new Change(Returns: [ret with { Delegate = null, DelegateName = null, Version = version }],
                Events: [new RoundEvent(now, "delegate-removed", ret.LeadEmail, ret.LeadKey, ret.Delegate)]), firstSubmission: false);
        }
        var named = ret with { Delegate = email, DelegateName = name, Version = version };
        return SaveOutcome.Saved(new Change(Returns: [named],
            Effects: [Effect.DelegateInvite(ret.LeadKey, version, Mail.RoundMails.DelegateInvite(round, named, contact), now)],
            Events: [new RoundEvent(now, "delegate-named", ret.LeadEmail, ret.LeadKey, email)]), firstSubmission: false);
    }

    /// <summary>A lead opening their form for the first time moves the return from "not opened" to "opened".</summary>
    public static Change? Opened(LeadReturn ret, DateTimeOffset now) => ret.Status != ReturnStatus.NotOpened ? null
        : new Change(Returns: [ret with { Status = ReturnStatus.Opened, OpenedAt = now }],
            Events: [new RoundEvent(now, "form-opened", ret.LeadEmail, ret.LeadKey)]);
}

/// <summary>A lead's answer for one activity.</summary>
public sealed record Answer(RagStatus? Status, string? Progress, string? NextSteps);

/// <summary>The result of a save: the change to commit, or why it was refused.</summary>
public sealed record SaveOutcome(Change? Change, string? RefusedBecause, bool FirstSubmission)
{
    public static SaveOutcome Saved(Change change, bool firstSubmission) => new(change, null, firstSubmission);
    public static SaveOutcome Refused(string why) => new(null, why, false);
}
