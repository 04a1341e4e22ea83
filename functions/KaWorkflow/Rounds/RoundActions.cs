using KaWorkflow.Mail;
using KaWorkflow.Reminders;

namespace KaWorkflow.Rounds;

/// <summary>What a performance-team action does to a round: the changes to commit, or why it cannot happen.</summary>
public sealed record ActionOutcome(IReadOnlyList<Change> Changes, string? RefusedBecause, string? Summary = null)
{
    public bool Ok => RefusedBecause is null;
    public static ActionOutcome Done(string summary, params Change[] changes) => new(changes, null, summary);
    public static ActionOutcome Refused(string why) => new([], why);
}

/// <summary>Who asked for an action, when, and why: every action records all three in the round's event log.</summary>
public sealed record ActionContext(string Actor, string Reason, DateTimeOffset Now);

/// <summary>
/// The performance team's actions on a round, as pure decisions like <see cref="RoundDecisions"/>: each takes the
/// round's state and returns the changes (with their events and e-mails) or a refusal in words a person can act on.
/// </summary>
public static class RoundActions
{
    /// <summary>Moves the deadline of the whole round, or of one lead; their chasing restarts from the new
    /// date.</summary>
    public static ActionOutcome ExtendDeadline(RoundHeader round, LeadReturn? lead, DateTimeOffset deadline, ActionContext context)
    {
        if (round.Status != RoundStatus.Open) return NotOpen(round);
        if (deadline <= context.Now) return ActionOutcome.Refused("The new deadline must be in the future.");
        if (lead is null)
        {
            if (deadline <= round.Deadline) return ActionOutcome.Refused(
                $"The round is already due {RoundMails.Day(round.Deadline)}; choose a later date.");
            return ActionOutcome.Done($"Round deadline moved to {RoundMails.Day(deadline)}",
                new Change(Header: round with { Deadline = deadline }, Events: [Event(context, "deadline-extended",
                    null, $"round due {deadline:O}")]));
        }
        if (!lead.Outstanding) return ActionOutcome.Refused(
            $"{RoundMails.Possessive(lead.LeadName)} return is {Describe(lead.Status)}, so it has no deadline to move.");
        if (deadline <= lead.DueBy(round)) return ActionOutcome.Refused(
            $"{lead.LeadName} is already due {RoundMails.Day(lead.DueBy(round))}; choose a later date.");
        return ActionOutcome.Done($"{lead.LeadName} now due {RoundMails.Day(deadline)}",
            new Change(Returns: [lead with { Deadline = deadline }], Events: [Event(context, "deadline-extended",
                lead.LeadKey, $"due {deadline:O}")]));
    }

    /// <summary>Moves one activity, with its answers, to another lead in the round; both are told by e-mail.</summary>
    public static ActionOutcome Reassign(RoundHeader round, LeadReturn giver, ReturnItem item, LeadReturn to,
        ActionContext context, string contact)
    {
        if (round.Status != RoundStatus.Open) return NotOpen(round);
        if (giver.LeadKey == to.LeadKey) return ActionOutcome.Refused($"{item.Code} is already {RoundMails.Possessive(to.LeadName)}.");
        if (to.Status is ReturnStatus.Excused or ReturnStatus.NoUpdate)
            return ActionOutcome.Refused(
                $"{RoundMails.Possessive(to.LeadName)} return is {Describe(to.Status)}; " +
                "reopen it or choose another lead.");
        var moved = item with { LeadKey = to.LeadKey, ETag = null };
        var giverAfter = giver with { ActivityCount = giver.ActivityCount - 1, Version = giver.Version + 1 };
        // A lead who had submitted gets an unanswered activity: the return is open again until they answer it.
        var toAfter = to with
        {
            ActivityCount = to.ActivityCount + 1, Version = to.Version + 1,
            Status = to.Status == ReturnStatus.Submitted && !moved.Answered && !moved.Excused ? ReturnStatus.Draft : to.Status,
        };
        var id = $"{item.Code}|{context.Now.UtcTicks}";
        return ActionOutcome.Done($"{item.Code} moved from {giver.LeadName} to {to.LeadName}",
            new Change(
                Returns: [giverAfter, toAfter], Items: [moved], RemovedItems: [item],
                Effects:
                [
                    Effect.Notice($"{id}|from", giver.LeadKey, RoundMails.ReassignedAway(round, giver, item, to, contact), context.Now),
                    Effect.Notice($"{id}|to", to.LeadKey, RoundMails.ReassignedTo(round, to, item, giver, contact), context.Now),
                ],
                // One event for each lead, so each one's timeline shows it.
                Events:
                [
                    Event(context, "reassigned-away", giver.LeadKey, $"{item.Code} to {to.LeadEmail}"),
                    Event(context, "reassigned-to", to.LeadKey, $"{item.Code} from {giver.LeadEmail}"),
                ]));
    }

    /// <summary>Excuses a lead's whole return for this quarter: it is no longer chased and the report says "not
    /// required".</summary>
    public static ActionOutcome ExcuseLead(RoundHeader round, LeadReturn lead, ActionContext context)
    {
        if (round.Status != RoundStatus.Open) return NotOpen(round);
        if (lead.Status == ReturnStatus.Excused) return ActionOutcome.Refused($"{lead.LeadName} is already excused.");
        return ActionOutcome.Done($"{lead.LeadName} excused",
            new Change(Returns: [lead with { Status = ReturnStatus.Excused, ExcusedReason = context.Reason }],
                Events: [Event(context, "excused", lead.LeadKey, null)]));
    }

    /// <summary>Excuses one activity; when it was the lead's last one still wanted, the lead is excused too.</summary>
    public static ActionOutcome ExcuseActivity(RoundHeader round, LeadReturn lead,
        IReadOnlyList<ReturnItem> leadItems, string code, ActionContext context)
    {
        if (round.Status != RoundStatus.Open) return NotOpen(round);
        var item = leadItems.FirstOrDefault(i => i.Code == code);
        if (item is null) return ActionOutcome.Refused($"{code} is not on {RoundMails.Possessive(lead.LeadName)} return.");
        if (item.Excused) return ActionOutcome.Refused($"{code} is already excused.");
        var rest = leadItems.Where(i => i.Code != code && !i.Excused).ToList();
        var after = lead.Status == ReturnStatus.Excused || rest.Count > 0 ? lead with { Version = lead.Version + 1 }
            : lead with { Status = ReturnStatus.Excused, ExcusedReason = context.Reason, Version = lead.Version + 1 };
        return ActionOutcome.Done(rest.Count > 0 ? $"{code} excused" :
            $"{code} excused; it was {RoundMails.Possessive(lead.LeadName)} last, so the return is excused",
            new Change(Returns: [after], Items: [item with { ExcusedReason = context.Reason }],
                Events: [Event(context, "activity-excused", lead.LeadKey, code)]));
    }

    /// <summary>Sends a new invite with a new link; every older link of that lead stops working at once.</summary>
    public static ActionOutcome ResendInvite(RoundHeader round, LeadReturn lead, ActionContext context)
    {
        if (round.Status != RoundStatus.Open) return NotOpen(round);
        if (!lead.Outstanding && lead.Status != ReturnStatus.Submitted)
            return ActionOutcome.Refused($"{RoundMails.Possessive(lead.LeadName)} return is {Describe(lead.Status)}; reopen it first.");
        var generation = lead.TokenGeneration + 1;
        return ActionOutcome.Done($"New link sent to {lead.LeadName}; older links revoked",
            new Change(Returns: [lead with { TokenGeneration = generation }], Effects: [Effect.Invite(lead.LeadKey,
                generation, context.Now)],
                Events: [Event(context, "invite-resent", lead.LeadKey, $"link generation {generation}")]));
    }

    /// <summary>
    /// Closes an open round now: returns still outstanding are marked "no update received" and the report is queued.
    /// The header changes first, so a crash half-way leaves a closed round whose stragglers <see cref="Reopen"/>
    /// tidies.
    /// </summary>
    public static ActionOutcome Close(RoundSnapshot round, ActionContext context)
    {
        if (round.Header.Status != RoundStatus.Open) return NotOpen(round.Header);
        var missing = round.Returns.Where(r => r.Outstanding).ToList();
        var close = RoundDecisions.Complete(round.Header, context.Now, context.Actor,
            $"{missing.Count} returns missing; reason: {context.Reason}", close: true);
        var sealedOff = RoundDecisions.Seal(round.Returns.Where(r => !r.Outstanding));
        return ActionOutcome.Done($"Round closed; {missing.Count} without an update",
            [.. sealedOff, close, .. MarkNoUpdate(missing, context)]);
    }

    /// <summary>
    /// Reopens one return after the round completed or closed: the round is open again for that lead alone (the
    /// others stay as they are), who gets a new link and a fresh deadline; when it is submitted the report is
    /// assembled again as the next version.
    /// </summary>
    public static ActionOutcome Reopen(RoundSnapshot round, LeadReturn lead, ActionContext context, ChasePolicy policy)
    {
        var header = round.Header;
        if (header.Status == RoundStatus.Open) return ActionOutcome.Refused(
            "The round is still open: the lead can amend their return with their link.");
        if (header.Status == RoundStatus.Opening) return ActionOutcome.Refused("The round is still opening.");
        if (lead.ActivityCount == 0) return ActionOutcome.Refused($"{lead.LeadName} has no activities in this round.");
        var generation = lead.TokenGeneration + 1;
        var reopened = lead with
        {
            Status = ReturnStatus.Draft, ExcusedReason = null, TokenGeneration = generation, Deadline = policy.Deadline(context.Now),
            Version = lead.Version + 1,
        };
        var others = round.Returns.Where(r => r.LeadKey != lead.LeadKey && r.Outstanding).ToList();
        return ActionOutcome.Done($"{RoundMails.Possessive(lead.LeadName)} return reopened, due {RoundMails.Day(reopened.Deadline!.Value)}",
            [
                new Change(Header: header with { Status = RoundStatus.Open, CompletedAt = null }, Returns: [reopened],
                    Effects: [Effect.Invite(lead.LeadKey, generation, context.Now)],
                    Events: [Event(context, "reopened", lead.LeadKey,
                        $"was {Describe(lead.Status)}; report v{header.ReportVersion} kept")]),
                .. MarkNoUpdate(others, context),
            ]);
    }

    private static IEnumerable<Change> MarkNoUpdate(IEnumerable<LeadReturn> returns, ActionContext context) =>
        returns.Select(r => new Change(Returns: [r with { Status = ReturnStatus.NoUpdate, NextReminderAt = null }]));

    private static RoundEvent Event(ActionContext c, string type, string? lead, string? detail) =>
        new(c.Now, type, c.Actor, lead, detail is null ? $"reason: {c.Reason}" : $"{detail}; reason: {c.Reason}");

    private static ActionOutcome NotOpen(RoundHeader round) =>
        ActionOutcome.Refused($"Round {round.Id} is {round.Status.ToString().ToLowerInvariant()}, so this cannot be done now.");

    /// <summary>A return's state in words, for messages and pages.</summary>
    public static string Describe(ReturnStatus status) => status switch
    {
        ReturnStatus.NotOpened => "not opened",
        ReturnStatus.Opened => "opened",
        ReturnStatus.Draft => "draft saved",
        ReturnStatus.Submitted => "submitted",
        ReturnStatus.Excused => "excused",
        ReturnStatus.NoUpdate => "closed without an update",
        _ => status.ToString(),
    };
}
