using System.Globalization;
using System.Text;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;

namespace KaWorkflow.Mail;

/// <summary>The text of every e-mail a round sends. Pure: the same inputs give the same message.</summary>
public static class RoundMails
{
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>"Tuesday 21 July" in London time.</summary>
    public static string Day(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, WorkingCalendar.London).ToString("dddd d MMMM", EnGb);

    public static OutgoingMail Invite(RoundHeader round, LeadReturn lead, IReadOnlyList<ReturnItem> items, string link, string contact)
    {
        var q = round.Quarter;
        var body = new StringBuilder()
            .AppendLine($"Dear {lead.LeadName},")
            .AppendLine()
            .AppendLine($"Please give this quarter's update on your {Plural(items.Count, "Key Activity", "Key Activities")} for {q.Title}, by {Day(round.Deadline)}.")
            .AppendLine()
            .AppendLine("Your update form (it is yours alone: please do not forward it):")
            .AppendLine(link)
            .AppendLine()
            .AppendLine("Last quarter's answers are filled in for you. You can save and come back later, and amend after submitting until the round closes.")
            .AppendLine()
            .AppendLine("Your activities:");
        foreach (var item in items) body.AppendLine($"- {item.Code} {item.Title}");
        body.AppendLine().AppendLine($"Questions: {contact}");
        return new OutgoingMail([lead.LeadEmail], [], $"Key Activity update for Q{q.Number} {q.FinancialYear}: due {Day(round.Deadline)}", body.ToString());
    }

    public static OutgoingMail Reminder(RoundHeader round, LeadReturn lead, IReadOnlyList<ReturnItem> items, int number, bool escalated,
        string link, string contact, DateTimeOffset now)
    {
        var q = round.Quarter;
        var unanswered = items.Count(i => !i.Answered);
        var overdue = now > round.Deadline;
        var body = new StringBuilder().AppendLine($"Dear {lead.LeadName},").AppendLine();
        body.AppendLine(overdue
            ? $"Your Key Activity update for {q.Title} was due on {Day(round.Deadline)} and has not been submitted yet."
            : $"A reminder that your Key Activity update for {q.Title} is due by {Day(round.Deadline)}.");
        body.AppendLine();
        if (lead.Status == ReturnStatus.Draft)
            body.AppendLine($"You have saved a draft: {unanswered} of {items.Count} activities still need a status. Open the form to finish and submit it.");
        else
            body.AppendLine($"{Plural(unanswered, "activity still needs", "activities still need")} an update.");
        body.AppendLine().AppendLine("Your update form:").AppendLine(link).AppendLine();
        if (escalated)
            body.AppendLine($"This is reminder {number}; the performance team ({contact}) has been copied, as reminders have been sent since {Day(round.Deadline)} without a return.").AppendLine();
        body.AppendLine($"Questions: {contact}");
        var subject = (overdue ? "Overdue: " : "Reminder: ") + $"Key Activity update for Q{q.Number} {q.FinancialYear}: due {Day(round.Deadline)}";
        return new OutgoingMail([lead.LeadEmail], escalated ? [contact] : [], subject, body.ToString());
    }

    public static OutgoingMail ReportReady(RoundHeader round, int version, IReadOnlyList<string> links, string performanceTeam)
    {
        var body = new StringBuilder()
            .AppendLine($"The Key Activity report for {round.Quarter.Title} (version {version}) has been assembled.")
            .AppendLine()
            .AppendLine("Download (performance team sign-in required):");
        foreach (var link in links) body.AppendLine(link);
        return new OutgoingMail([performanceTeam], [], $"Key Activity report ready: {round.Quarter.Title}, version {version}", body.ToString());
    }

    private static string Plural(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}
