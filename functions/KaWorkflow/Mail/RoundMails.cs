using System.Globalization;
using System.Text;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;

namespace KaWorkflow.Mail;

/// <summary>The text of every e-mail a round sends. Pure: the same inputs give the same message.</summary>
public static class RoundMails
{
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>"Head of Finance's", "Head of Corporate Services'": the possessive of a name or title.</summary>
    public static string Possessive(string? name) =>
        name is null ? "" : name.EndsWith('s') ? name + "'" : name + "'s";

    /// <summary>"Tuesday 21 July" in London time.</summary>
    public static string Day(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, WorkingCalendar.London).ToString("dddd d MMMM", EnGb);

    /// <summary>When a round's invites go, as the person who opened it is told: now, or at the next send window
    /// ("invites are queued for 9:00am on Monday 6 July", outside working hours).</summary>
    public static string InvitesGo(DateTimeOffset sendAt, DateTimeOffset now) => sendAt <= now.AddMinutes(1)
        ? "invites are on their way."
        : $"invites are queued for {Web.UkTime.Format(sendAt, Web.UkTime.Style.Friendly, now)}, the next time mail " +
          "may be sent.";

    /// <summary>"22 July 2020 at 10:00 London time": a moment as the council's clocks showed it.</summary>
    public static string LondonTime(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, WorkingCalendar.London).ToString("d MMMM yyyy 'at' HH:mm", EnGb)
        + " London time";

    public static string Subject(RoundHeader round, LeadReturn lead, string prefix = "") =>
        $"{prefix}Key Activity update for Q{round.Quarter.Number} {round.Quarter.FinancialYear}: due {Day(lead.DueBy(round))}";

    public static OutgoingMail Invite(RoundHeader round, LeadReturn lead, IReadOnlyList<ReturnItem> items, string link, string contact)
    {
        var q = round.Quarter;
        var wanted = items.Where(i => !i.Excused).ToList();
        var reissued = lead.TokenGeneration > 1;
        var body = new StringBuilder()
            .AppendLine($"Dear {lead.LeadName},")
            .AppendLine();
        if (reissued)
            body.AppendLine("This e-mail replaces the earlier link we sent you, which no longer works.").AppendLine();
        body.AppendLine(
            $"Please give this quarter's update on your {Plural(wanted.Count, "Key Activity", "Key Activities")} " +
            $"for {q.Title}, by {Day(lead.DueBy(round))}.")
            .AppendLine()
            .AppendLine("Your update form (it is yours alone: please do not forward it):")
            .AppendLine(link)
            .AppendLine()
            .AppendLine(
                "Last quarter's answers are shown for you. You can save and come back later, and amend after " +
                "submitting until the round closes.")
            .AppendLine()
            .AppendLine("Your activities:");
        foreach (var item in wanted) body.AppendLine($"- {item.Code} {item.Title}");
        body.AppendLine().AppendLine($"Questions: {contact}");
        return new OutgoingMail([lead.LeadEmail], [], Subject(round, lead), body.ToString());
    }

    /// <summary>A reminder; escalated, it is copied to the performance team and the lead's escalation contact and says
    /// who has been chased, how often and since when.</summary>
    public static OutgoingMail Reminder(RoundHeader round, LeadReturn lead, IReadOnlyList<ReturnItem> items, int number, bool escalated,
        string link, string contact, DateTimeOffset now)
    {
        var q = round.Quarter;
        var due = lead.DueBy(round);
        var wanted = items.Where(i => !i.Excused).ToList();
        var unanswered = wanted.Count(i => !i.Answered);
        var overdue = now > due;
        var body = new StringBuilder().AppendLine($"Dear {lead.LeadName},").AppendLine();
        body.AppendLine(overdue
            ? $"Your Key Activity update for {q.Title} was due on {Day(due)} and has not been submitted yet."
            : $"A reminder that your Key Activity update for {q.Title} is due by {Day(due)}.");
        body.AppendLine();
        if (lead.Status == ReturnStatus.Draft)
            body.AppendLine(
                $"You have saved a draft: {unanswered} of {wanted.Count} activities still need a status. Open the " +
                "form to finish and submit it.");
        else
            body.AppendLine($"{Plural(unanswered, "activity still needs", "activities still need")} an update.");
        body.AppendLine().AppendLine("Your update form:").AppendLine(link).AppendLine();
        var cc = new List<string>();
        if (escalated)
        {
            cc.Add(contact);
            if (lead.EscalationEmail is { } boss && !boss.Equals(contact, StringComparison.OrdinalIgnoreCase)) cc.Add(boss);
            body.AppendLine(
                $"Escalation: {lead.LeadName} ({lead.LeadEmail}) has now been sent {Plural(number, "reminder", "reminders")} " +
                $"since {Day(lead.FirstRemindedAt ?? now)} for the return due {Day(due)}. " +
                $"Copied to: {string.Join(", ", cc)}.").AppendLine();
        }
        body.AppendLine($"Questions: {contact}");
        return new OutgoingMail([lead.LeadEmail], cc, Subject(round, lead, overdue ? "Overdue: " : "Reminder: "), body.ToString());
    }

    /// <summary>Where the dispatcher puts a delegate's link, issued only when the message is sent so it is never
    /// stored.</summary>
    public const string LinkPlaceholder = "{{form-link}}";

    /// <summary>Invites a lead's delegate to fill the form in; the lead is copied so they know it went.</summary>
    public static OutgoingMail DelegateInvite(RoundHeader round, LeadReturn lead, string contact) => new(
        [lead.Delegate!], [lead.LeadEmail],
        $"{lead.LeadName} has asked you to fill in their Key Activity update for Q{round.Quarter.Number} " +
            $"{round.Quarter.FinancialYear}: due {Day(lead.DueBy(round))}",
        new StringBuilder()
            .AppendLine($"Dear {lead.DelegateName ?? lead.Delegate},").AppendLine()
            .AppendLine(
                $"{lead.LeadName} has asked you to fill in their Key Activity update for {round.Quarter.Title}, due " +
                $"by {Day(lead.DueBy(round))}.")
            .AppendLine("Your own link to the form (please do not forward it):").AppendLine(LinkPlaceholder).AppendLine()
            .AppendLine($"What you save is recorded under your name. {lead.LeadName} can still use their own link.")
            .AppendLine().AppendLine($"Questions: {contact}").ToString());

    /// <summary>Tells a lead an activity has been moved to someone else.</summary>
    public static OutgoingMail ReassignedAway(RoundHeader round, LeadReturn giver, ReturnItem item, LeadReturn to, string contact) => new(
        [giver.LeadEmail], [],
        $"Key Activity {item.Code} moved to {to.LeadName} for {round.Quarter.Title}",
        new StringBuilder()
            .AppendLine($"Dear {giver.LeadName},").AppendLine()
            .AppendLine(
                $"The performance team has moved {item.Code} {item.Title} to {to.LeadName} ({to.LeadEmail}) for " +
                $"{round.Quarter.Title}.")
            .AppendLine(
                "It no longer appears on your form, and you will not be chased for it. Anything already written for " +
                "it has gone with it.")
            .AppendLine().AppendLine($"Questions: {contact}").ToString());

    /// <summary>Tells a lead an activity has been moved to them; their existing link now shows it.</summary>
    public static OutgoingMail ReassignedTo(RoundHeader round, LeadReturn to, ReturnItem item, LeadReturn giver, string contact) => new(
        [to.LeadEmail], [],
        $"Key Activity {item.Code} is now yours for {round.Quarter.Title}: due {Day(to.DueBy(round))}",
        new StringBuilder()
            .AppendLine($"Dear {to.LeadName},").AppendLine()
            .AppendLine($"The performance team has moved {item.Code} {item.Title} to you from {giver.LeadName} for {round.Quarter.Title}.")
            .AppendLine(
                "It now appears on your update form: use the link in your invitation e-mail. Your return is due " +
                $"{Day(to.DueBy(round))}.")
            .AppendLine().AppendLine($"Questions: {contact}").ToString());

    public static OutgoingMail ReportReady(RoundHeader round, int version, IReadOnlyList<string> links, string performanceTeam)
    {
        var body = new StringBuilder()
            .AppendLine($"The Key Activity report for {round.Quarter.Title} (version {version}) has been assembled.")
            .AppendLine()
            .AppendLine("Download (performance team sign-in required):");
        foreach (var link in links) body.AppendLine(link);
        return new OutgoingMail([performanceTeam], [],
            $"Key Activity report ready: {round.Quarter.Title}, version {version}", body.ToString());
    }

    private static string Plural(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}
