using KaWorkflow.Register;
using KaWorkflow.Rounds;

namespace KaWorkflow.Dashboard;

/// <summary>Where a lead's return stands, as the performance team thinks of it.</summary>
public enum LeadState { NotOpened, Opened, DraftSaved, Overdue, Submitted, Excused, NoUpdate }

/// <summary>One row of a round's progress table.</summary>
public sealed record LeadProgress(
    string LeadKey, string Name, string Email, LeadState State, int Answered, int Total, DateTimeOffset? LastActivity,
    int RemindersSent, DateTimeOffset? NextReminderAt, DateTimeOffset DueBy, int UnsentEmails, string? Delegate)
{
    /// <summary>Whole days past the due date while still wanted; 0 when not late.</summary>
    public int DaysOverdue { get; init; }

    /// <summary>Whether the lead's reminders have been escalated (copied to the performance team and their
    /// contact).</summary>
    public bool Escalated { get; init; }
}

/// <summary>A round's progress: the header, a row per lead, and the e-mails that have not gone.</summary>
/// <param name="Unsent">E-mails given up on (parked), and e-mails due more than <see cref="UnsentAfter"/> ago and
/// still not sent: whatever the cause, the performance team should see them.</param>
/// <param name="AsOf">The app's time when it was read (the simulated time in the local run).</param>
public sealed record RoundProgress(RoundHeader Header, IReadOnlyList<LeadProgress> Leads,
    IReadOnlyList<Effect> Unsent, DateTimeOffset AsOf)
{
    /// <summary>How long an e-mail may be due without going before the dashboard counts it as unsent.</summary>
    public static readonly TimeSpan UnsentAfter = TimeSpan.FromHours(1);

    public int Submitted => Leads.Count(l => l.State is LeadState.Submitted);
    public int Wanted => Leads.Count(l => l.State is not (LeadState.Excused) && l.Total > 0);
    public int Percent => Wanted == 0 ? 100 : (int)Math.Round(100.0 * Submitted / Wanted);

    /// <summary>Leads whose return is overdue.</summary>
    public int Overdue => Leads.Count(l => l.State == LeadState.Overdue);

    /// <summary>Invitations waiting for the send window (a round opened at a weekend or at night).</summary>
    public IReadOnlyList<Effect> Queued { get; init; } = [];

    /// <summary>E-mails waiting for the mailbox grant to take effect; they go by themselves once it has.</summary>
    public IReadOnlyList<Effect> Held { get; init; } = [];

    /// <summary>Builds the progress from a snapshot and the round's items. Pure.</summary>
    public static RoundProgress Of(RoundSnapshot round, IReadOnlyList<ReturnItem> items, DateTimeOffset now)
    {
        var byLead = items.Where(i => !i.Excused).GroupBy(i => i.LeadKey).ToDictionary(g => g.Key, g => g.ToList());
        var unsent = round.Effects.Where(e => e.State == EffectState.Parked
            || Effect.IsMail(e.Id) && e.DueAt is { } due && due < now - UnsentAfter).ToList();
        var held = round.Effects.Where(e => e.State is EffectState.Pending or EffectState.Claimed
                                            && e.LastError?.StartsWith("Held:", StringComparison.Ordinal) == true).ToList();
        var leads = round.Returns.Select(r =>
        {
            var mine = byLead.GetValueOrDefault(r.LeadKey) ?? [];
            var state = StateOf(round.Header, r, now);
            return new LeadProgress(r.LeadKey, r.LeadName, r.LeadEmail, state, mine.Count(i => i.Answered), mine.Count,
                r.LastActivity, r.RemindersSent, r.Outstanding
                    && round.Header.Status == RoundStatus.Open ? r.NextReminderAt : null, r.DueBy(round.Header),
                unsent.Count(e => e.LeadKey == r.LeadKey), r.Delegate)
            {
                DaysOverdue = state == LeadState.Overdue ? Math.Max(1, (int)(now - r.DueBy(round.Header)).TotalDays) : 0,
                Escalated = round.Effects.Any(e => e.LeadKey == r.LeadKey && e.Escalated && e.State == EffectState.Done),
            };
        }).OrderBy(l => l.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var queued = round.Effects.Where(e => e.Kind == EffectKind.Invite && e.State == EffectState.Pending && e.NotBefore > now)
            .ToList();
        return new RoundProgress(round.Header, leads, unsent, now) { Held = held, Queued = queued };
    }

    public static LeadState StateOf(RoundHeader round, LeadReturn r, DateTimeOffset now) => r.Status switch
    {
        ReturnStatus.Submitted => LeadState.Submitted,
        ReturnStatus.Excused => LeadState.Excused,
        ReturnStatus.NoUpdate => LeadState.NoUpdate,
        _ when r.ActivityCount == 0 => LeadState.Excused,
        _ when round.Status == RoundStatus.Open && now > r.DueBy(round) => LeadState.Overdue,
        ReturnStatus.Draft => LeadState.DraftSaved,
        ReturnStatus.Opened => LeadState.Opened,
        _ => LeadState.NotOpened,
    };

    /// <summary>The rows a filter asks for: <c>overdue</c>, <c>not-opened</c>, <c>outstanding</c>, or all.</summary>
    public IReadOnlyList<LeadProgress> Filter(string? filter) => filter switch
    {
        "overdue" => Leads.Where(l => l.State == LeadState.Overdue).ToList(),
        "not-opened" => Leads.Where(l => l.State == LeadState.NotOpened || l.State == LeadState.Overdue
            && l.LastActivity is null).ToList(),
        "outstanding" => Leads.Where(l => l.State is LeadState.NotOpened or LeadState.Opened
            or LeadState.DraftSaved or LeadState.Overdue).ToList(),
        _ => Leads,
    };

    public static readonly string[] SortKeys = ["lead", "state", "answered", "last-activity", "reminders", "next-reminder"];

    /// <summary>Sorts rows by one of <see cref="SortKeys"/>; unknown keys sort by lead.</summary>
    public static IReadOnlyList<LeadProgress> Sort(IEnumerable<LeadProgress> rows, string? key, bool descending)
    {
        var sorted = key switch
        {
            "state" => rows.OrderBy(l => l.State).ThenBy(l => l.Name),
            "answered" => rows.OrderBy(l => l.Total == 0 ? 1 : (double)l.Answered / l.Total).ThenBy(l => l.Name),
            "last-activity" => rows.OrderBy(l => l.LastActivity ?? DateTimeOffset.MinValue).ThenBy(l => l.Name),
            "reminders" => rows.OrderBy(l => l.RemindersSent).ThenBy(l => l.Name),
            "next-reminder" => rows.OrderBy(l => l.NextReminderAt ?? DateTimeOffset.MaxValue).ThenBy(l => l.Name),
            "lead" => rows.OrderBy(l => l.Name, StringComparer.OrdinalIgnoreCase),
            // By default, who is late comes first, the latest first; then who is still wanted; then the rest.
            _ => rows.OrderByDescending(l => l.DaysOverdue).ThenBy(l => l.State is LeadState.Submitted or LeadState.Excused)
                .ThenBy(l => l.Name, StringComparer.OrdinalIgnoreCase),
        };
        return (descending ? sorted.Reverse() : sorted).ToList();
    }

    public static string Describe(LeadState state) => state switch
    {
        LeadState.NotOpened => "Not opened", LeadState.Opened => "Opened", LeadState.DraftSaved => "Draft saved",
        LeadState.Overdue => "Overdue", LeadState.Submitted => "Submitted", LeadState.Excused => "Excused", _ => "No update",
    };
}

/// <summary>One lead in one round, for the performance team: progress, answers, history and saved versions.</summary>
public sealed record LeadDetail(RoundHeader Round, LeadProgress Progress, LeadReturn Return, IReadOnlyList<ReturnItem> Items,
    IReadOnlyList<RoundEvent> Timeline, IReadOnlyList<ReturnVersion> Versions, IReadOnlyList<LeadReturn> OtherLeads);
