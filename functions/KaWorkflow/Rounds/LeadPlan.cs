using KaWorkflow.Reminders;

namespace KaWorkflow.Rounds;

/// <summary>
/// Where one lead stands, as the tables say, for their orchestration: the e-mails owed now, whether a chase step is
/// due, when to look again, and whether anything is left to do.
/// </summary>
/// <param name="Now">The business time it was read at.</param>
/// <param name="Owed">The lead's e-mails due now (the invitation, a new link, a delegate's link, a reassignment
/// notice, a reminder decided but not yet sent), oldest first.</param>
/// <param name="ChaseDue">Whether the chase policy has a step due now: a reminder, an overdue notice or an escalation
/// (or a deadline that moved, so the schedule is rebased).</param>
/// <param name="WakeAt">When something is next due (an e-mail put off to the send window or by pacing, the next chase
/// step), in business time; null when only a change can bring more.</param>
/// <param name="Finished">Nothing more to do: the lead is not being chased and no e-mail of theirs is
/// unfinished.</param>
public sealed record LeadStanding(
    DateTimeOffset Now, IReadOnlyList<string> Owed, bool ChaseDue, DateTimeOffset? WakeAt, bool Finished)
{
    /// <summary>Whether a rehearsal wakes the lead when business time reaches <see cref="WakeAt"/>
    /// (<see cref="Hosting.AdjustableClock.WakesSleepers"/>): then the lead sets no timer of their own.</summary>
    public bool ClockWakes { get; init; }

    /// <summary>Whether something is to be done straight away.</summary>
    public bool ActNow => Owed.Count > 0 || ChaseDue;
}

/// <summary>What a lead's orchestration does next: a pure function of the lead's rows and the time.</summary>
public static class LeadPlan
{
    /// <param name="mail">The round's outbox rows for this lead (others are ignored).</param>
    public static LeadStanding Of(RoundHeader header, LeadReturn ret, IEnumerable<Effect> mail, DateTimeOffset now)
    {
        var unfinished = mail.Where(e => e.LeadKey == ret.LeadKey && e.DueAt is not null).ToList();
        var owed = unfinished.Where(e => e.Runnable(now))
            .OrderBy(e => e.NotBefore).ThenBy(e => e.Id, StringComparer.Ordinal).Select(e => e.Id).ToList();
        var chaseAt = RoundDecisions.NextChase(header, ret, now);
        var chaseDue = chaseAt <= now;
        var wakeAt = unfinished.Where(e => !e.Runnable(now)).Select(e => e.DueAt)
            .Append(chaseDue ? null : chaseAt).Where(t => t is not null).Min();
        var chased = header.Status == RoundStatus.Open && ret.Outstanding;
        return new LeadStanding(now, owed, chaseDue, wakeAt, Finished: !chased && unfinished.Count == 0);
    }

    /// <summary>Whether a lead has work, so their orchestration should be running.</summary>
    public static bool HasWork(RoundHeader header, LeadReturn ret, IEnumerable<Effect> mail, DateTimeOffset now) =>
        !Of(header, ret, mail, now).Finished;
}
