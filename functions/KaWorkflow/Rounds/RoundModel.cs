using KaWorkflow.Register;

namespace KaWorkflow.Rounds;

/// <summary>Where a round is in its life.</summary>
public enum RoundStatus { Opening, Open, Complete, Closed }

/// <summary>Where one lead's return is. Excused and NoUpdate (the round closed without it) are final until
/// reopened.</summary>
public enum ReturnStatus { NotOpened, Opened, Draft, Submitted, Excused, NoUpdate }

/// <summary>The round's header row: the orchestration instance's state.</summary>
public sealed record RoundHeader(string Id, RoundStatus Status, DateTimeOffset OpenedAt, DateTimeOffset Deadline, int ReportVersion,
    DateTimeOffset? CompletedAt = null, string? ETag = null)
{
    public Quarter Quarter => Quarter.Parse(Id);
}

/// <summary>One lead's return in a round: the fan-out unit.</summary>
public sealed record LeadReturn
{
    /// <summary>The lead's key in the register (their e-mail address, lower case).</summary>
    public required string LeadKey { get; init; }
    public required string LeadName { get; init; }
    public required string LeadEmail { get; init; }
    public required ReturnStatus Status { get; init; }

    /// <summary>Activities on the return; a return with none is not chased.</summary>
    public required int ActivityCount { get; init; }

    /// <summary>Which of the lead's links is live: a resend or reassignment moves it on, so older links stop
    /// working.</summary>
    public int TokenGeneration { get; init; } = 1;

    /// <summary>Reminders ever queued for this return; numbers the outbox rows, so it never goes back.</summary>
    public int RemindersSent { get; init; }
    public DateTimeOffset? NextReminderAt { get; init; }
    public DateTimeOffset? SavedAt { get; init; }
    public string? SavedBy { get; init; }
    public DateTimeOffset? SubmittedAt { get; init; }
    public string? SubmittedBy { get; init; }

    /// <summary>Saves so far: the form sends it back, so a save over newer text is refused.</summary>
    public int Version { get; init; }
    public string? ETag { get; init; }

    /// <summary>This lead's own deadline when the performance team extended it; null means the round's.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Position on the reminder schedule counted from <see cref="ChaseDeadline"/>: moving the deadline
    /// restarts it.</summary>
    public int ChaseStage { get; init; }

    /// <summary>The deadline the chase stage refers to; when it differs from the due date the schedule is
    /// rebased.</summary>
    public DateTimeOffset? ChaseDeadline { get; init; }
    public DateTimeOffset? FirstRemindedAt { get; init; }

    /// <summary>Who is copied in when the lead is escalated to (from the register).</summary>
    public string? EscalationEmail { get; init; }
    public string? ExcusedReason { get; init; }

    /// <summary>The e-mail address of the person the lead asked to fill the form in, who has their own link; null if
    /// none.</summary>
    public string? Delegate { get; init; }
    public string? DelegateName { get; init; }
    public DateTimeOffset? OpenedAt { get; init; }

    /// <summary>The lead's current form link, encrypted with the app's data-protection keys, so reminders carry the
    /// same link instead of minting more: one live link per lead and round.</summary>
    public string? LinkSecret { get; init; }

    /// <summary>Still wanted: it has activities and is neither submitted, excused nor closed off.</summary>
    public bool Outstanding => ActivityCount > 0 && Status is ReturnStatus.NotOpened or ReturnStatus.Opened or ReturnStatus.Draft;

    /// <summary>When the lead (or their delegate) last did something with the form: opened, saved or submitted
    /// it.</summary>
    public DateTimeOffset? LastActivity => new[] { OpenedAt, SavedAt, SubmittedAt }.Max();

    /// <summary>When this lead's return is due: their own deadline if extended, else the round's.</summary>
    public DateTimeOffset DueBy(RoundHeader round) => Deadline is { } own && own > round.Deadline ? own : round.Deadline;
}

/// <summary>One activity on a lead's return: the register's snapshot plus this quarter's answer.</summary>
public sealed record ReturnItem(
    string LeadKey, string Code, int Order, string Theme, string? Objective, string Title, string? Team, string? Portfolio,
    RagStatus? PreviousStatus, string? PreviousProgress, string? PreviousNextSteps,
    RagStatus? Status = null, string? Progress = null, string? NextSteps = null, string? ETag = null, string? ExcusedReason = null)
{
    public bool Answered => Status is not null;

    /// <summary>Not required this quarter: the performance team excused it, with a reason.</summary>
    public bool Excused => ExcusedReason is not null;

    public static ReturnItem From(KeyActivity a) => new(a.LeadKey, a.Code, a.Order, a.Theme, a.Objective, a.Title, a.Team, a.Portfolio,
        a.PreviousStatus, a.PreviousProgress, a.PreviousNextSteps);
}

/// <summary>What an effect does when dispatched.</summary>
public enum EffectKind { Invite, Reminder, AssembleReport, ReportReady, Notice, DelegateInvite, AssembleDraft }

/// <summary>One outbox row of one round, as an activity's input.</summary>
public sealed record EffectRef(string RoundId, string EffectId);

/// <summary>Where an effect is in the outbox.</summary>
public enum EffectState { Pending, Claimed, Done, Parked }

/// <summary>
/// An outbox row: an action the round decided on that is done outside storage (an e-mail, a report), and the record
/// that it was done. Its id is deterministic (<c>invite|lead|1</c>, <c>reminder|lead|3</c>, <c>report|v1</c>) so
/// deciding it twice is a conflict, not a second e-mail. A lead's orchestration performs the lead's rows, the round's
/// orchestration the rest.
/// </summary>
public sealed record Effect(
    string Id, EffectKind Kind, string? LeadKey, int Number, EffectState State, DateTimeOffset NotBefore,
    bool Escalated = false, int Attempts = 0, DateTimeOffset? ClaimedUntil = null, string? LastError = null,
    DateTimeOffset? CompletedAt = null, string? ETag = null, Mail.OutgoingMail? Message = null)
{
    /// <summary>When it was meant to happen (a reminder: its slot on the schedule), however often it is put off
    /// since; null on rows written before it was kept.</summary>
    public DateTimeOffset? Planned { get; init; }

    /// <summary>An e-mail's booked sending slot (<see cref="Mail.MailPacer"/>): the time it was put off to, for its
    /// turn in the mailbox's rate.</summary>
    public DateTimeOffset? PaceSlot { get; init; }

    public static Effect Invite(string lead, int generation, DateTimeOffset at) =>
        new($"invite|{lead}|{generation}", EffectKind.Invite, lead, generation, EffectState.Pending, at)
        {
            Planned = at,
        };

    /// <summary>Reminder <paramref name="number"/>, decided at <paramref name="at"/> for its slot
    /// <paramref name="planned"/> on the schedule (the same, unless the decision came late).</summary>
    public static Effect Reminder(string lead, int number, bool escalated, DateTimeOffset at,
        DateTimeOffset? planned = null) =>
        new($"reminder|{lead}|{number}", EffectKind.Reminder, lead, number, EffectState.Pending, at, escalated)
        {
            Planned = planned ?? at,
        };

    public static Effect Report(int version, DateTimeOffset at) =>
        new($"report|v{version}", EffectKind.AssembleReport, null, version, EffectState.Pending, at) { Planned = at };

    /// <summary>A DRAFT report asked for while the round is open, as its own version.</summary>
    public static Effect Draft(int version, DateTimeOffset at) =>
        new($"draft|v{version}", EffectKind.AssembleDraft, null, version, EffectState.Pending, at) { Planned = at };

    /// <summary>Whether the effect with this id sends an e-mail (everything but assembling a report).</summary>
    public static bool IsMail(string id) =>
        !id.StartsWith("report|", StringComparison.Ordinal) && !id.StartsWith("draft|", StringComparison.Ordinal);

    /// <summary>Whether it is the round's own work (a report or its notice) rather than mail to one lead.</summary>
    public bool ForRound => LeadKey is null;

    /// <summary>A one-off message decided with the change that needs it (a reassignment told to both leads).</summary>
    public static Effect Notice(string id, string? lead, Mail.OutgoingMail message, DateTimeOffset at) =>
        new($"notice|{id}", EffectKind.Notice, lead, 0, EffectState.Pending, at, Message: message) { Planned = at };

    /// <summary>A delegate's invitation: the message is decided now, the link (a secret, never stored) is issued when
    /// it is sent.</summary>
    public static Effect DelegateInvite(string lead, int number, Mail.OutgoingMail message, DateTimeOffset at) =>
        new($"delegate|{lead}|{number}", EffectKind.DelegateInvite, lead, number, EffectState.Pending, at,
            Message: message)
        {
            Planned = at,
        };

    public static Effect ReportReady(int version, DateTimeOffset at) =>
        new($"report-ready|v{version}", EffectKind.ReportReady, null, version, EffectState.Pending, at)
        {
            Planned = at,
        };

    /// <summary>Whether a dispatcher may take it now: pending and due, or claimed by someone whose claim has
    /// lapsed.</summary>
    public bool Runnable(DateTimeOffset now) =>
        State == EffectState.Pending && NotBefore <= now || State == EffectState.Claimed && ClaimedUntil <= now;

    /// <summary>When it next needs attention, or null if finished.</summary>
    public DateTimeOffset? DueAt => State switch
    {
        EffectState.Pending => NotBefore,
        EffectState.Claimed => ClaimedUntil,
        _ => null,
    };
}

/// <summary>One activity's answer as a save left it: a line of a return version.</summary>
public sealed record ItemChange(string Code, RagStatus? Status, string? Progress, string? NextSteps);

/// <summary>A saved version of a lead's return: who saved it, when, how (draft, submitted, amended) and what
/// changed.</summary>
public sealed record ReturnVersion(string LeadKey, int Number, DateTimeOffset At, string Actor, string Type,
    IReadOnlyList<ItemChange> Changes);

/// <summary>An entry of the round's append-only history: the audit trail.</summary>
public sealed record RoundEvent(DateTimeOffset At, string Type, string Actor, string? LeadKey = null, string? Detail = null);

/// <summary>What the orchestrations read of a round: the header, every return and every outbox row (not items or
/// events).</summary>
public sealed record RoundSnapshot(RoundHeader Header, IReadOnlyList<LeadReturn> Returns, IReadOnlyList<Effect> Effects);

/// <summary>
/// A set of changes that must commit together (one lead's reminder, one submission, the round completing).
/// Rows with an ETag are replaced only if unchanged; rows without one are inserted.
/// </summary>
public sealed record Change(
    RoundHeader? Header = null,
    IReadOnlyList<LeadReturn>? Returns = null,
    IReadOnlyList<ReturnItem>? Items = null,
    IReadOnlyList<Effect>? Effects = null,
    IReadOnlyList<RoundEvent>? Events = null,
    IReadOnlyList<ReturnItem>? RemovedItems = null,
    IReadOnlyList<ReturnVersion>? Versions = null)
{
    public int OperationCount => (Header is null ? 0 : 1) + (Returns?.Count ?? 0) + (Items?.Count ?? 0)
        + (Effects?.Count ?? 0) + (Events?.Count ?? 0) + (RemovedItems?.Count ?? 0) + (Versions?.Count ?? 0);
}
