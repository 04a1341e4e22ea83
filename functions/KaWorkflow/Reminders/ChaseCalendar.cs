using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Rounds;

namespace KaWorkflow.Reminders;

/// <summary>One e-mail the chase policy would send: when, what kind, to whom, copied to whom, and its
/// subject.</summary>
public sealed record PlannedMail(DateTimeOffset At, string Kind, string To, IReadOnlyList<string> Cc, string Subject);

/// <summary>
/// The chase calendar of a round if nobody replied: every invite, reminder and escalation the policy would send.
/// Pure, and built from the same rules and templates the round runs on, so the preview and the sending cannot drift.
/// </summary>
public static class ChaseCalendar
{
    /// <summary>The calendar for a round opening at <paramref name="openAt"/> with this register.</summary>
    public static IReadOnlyList<PlannedMail> ForRegister(Quarter quarter, IReadOnlyList<KeyActivity> register, DateTimeOffset openAt,
        ChasePolicy policy, string performanceTeam)
    {
        var plan = RoundDecisions.Open(quarter, register, openAt, policy, "preview");
        return For(plan.Header, plan.Leads.Select(l => l.Returns![0]).ToList(), policy, performanceTeam);
    }

    /// <summary>The calendar for a round that exists, from its own dates: what it would still send if nobody else
    /// replied.</summary>
    public static IReadOnlyList<PlannedMail> For(RoundHeader round, IReadOnlyList<LeadReturn> returns,
        ChasePolicy policy, string performanceTeam)
    {
        var mails = new List<PlannedMail>();
        // A lead who has submitted, or been excused, is never chased again.
        foreach (var lead in returns.Where(r => r.ActivityCount > 0
                                                && r.Status is not (ReturnStatus.Submitted or ReturnStatus.Excused)))
        {
            mails.Add(new PlannedMail(policy.NextSendWindow(round.OpenedAt), "invite", lead.LeadEmail, [],
                RoundMails.Subject(round, lead)));
            var due = lead.DueBy(round);
            for (var n = 1; policy.Reminder(n, due) is { } slot; n++)
            {
                var mail = RoundMails.Reminder(round, lead, [], n, slot.Escalated, "", performanceTeam, slot.At);
                mails.Add(new PlannedMail(slot.At, slot.Escalated ? "escalation" : "reminder", lead.LeadEmail, mail.Cc, mail.Subject));
            }
        }
        return mails.OrderBy(m => m.At).ThenBy(m => m.To, StringComparer.Ordinal).ToList();
    }
}
