using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Rounds;

namespace KaWorkflow.Demo;

/// <summary>How a simulated lead behaves: most answer promptly, some save a draft first, some wait for a reminder, one
/// is late.</summary>
public enum Persona { Prompt, Drafter, AfterReminder, Late }

/// <summary>
/// Leads of the local demo. They read their mail in the local mailbox, follow the link and answer through the
/// app's real HTTP form endpoints, exactly as a person's browser would.
/// </summary>
public sealed partial class SimulatedLeads(HttpClient http, LocalMailbox mailbox, RoundStore store, Action<string> say)
    : IDisposable
{
    private static readonly Persona[] Cast = [Persona.Prompt, Persona.Drafter, Persona.AfterReminder, Persona.Prompt, Persona.Late];

    private readonly List<MailboxMessage> _mail = [];
    private string? _cursor;

    public static Persona PersonaOf(int index) => Cast[index % Cast.Length];

    /// <summary>Each lead whose moment has come answers (in the working day, through the form); returns the next
    /// business time one of them would, as things stand (null: none until more mail comes or the round
    /// opens).</summary>
    public async Task<DateTimeOffset?> ActAsync(string roundId, DateTimeOffset now, CancellationToken ct)
    {
        // Only the returns: the outbox is the app's business, and reading it at every look was most of this load.
        if (await store.LoadReturnsAsync(roundId, ct) is not ({ Status: RoundStatus.Open }, var returns)) return null;
        var (fresh, cursor) = await mailbox.ListSinceAsync(_cursor, ct); // only what arrived since the last look
        _mail.AddRange(fresh);
        _cursor = cursor;
        var (answers, next) = Plan(returns, now);
        if (answers.Count == 0) return next;
        // People answer side by side, not one after another: on a fast clock a queue of them would answer late.
        var side = new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct };
        await Parallel.ForEachAsync(answers, side,
            async (a, token) => await AnswerAsync(BrowserOf(a.Return.LeadKey), roundId, a.Return, a.Link, a.Action,
                token));
        foreach (var a in answers) say(a.Told);
        // Those who answered have a next moment of their own now (a draft's submission).
        return await store.LoadReturnsAsync(roundId, ct) is (_, var after) ? Plan(after, now).Next : null;
    }

    /// <summary>Who answers now, and the next moment anyone else would.</summary>
    private (List<(LeadReturn Return, string Link, string Action, string Told)> Answers, DateTimeOffset? Next) Plan(
        IEnumerable<LeadReturn> returns, DateTimeOffset now)
    {
        var leads = returns.OrderBy(r => r.LeadKey, StringComparer.Ordinal).ToList();
        var answers = new List<(LeadReturn Return, string Link, string Action, string Told)>();
        DateTimeOffset? next = null;
        for (var i = 0; i < leads.Count; i++)
        {
            var ret = leads[i];
            if (!ret.Outstanding) continue;
            var inbox = _mail.Where(m => m.To.Contains(ret.LeadEmail, StringComparer.OrdinalIgnoreCase))
                .OrderBy(m => m.ReceivedAt).ToList();
            var invite = inbox.FirstOrDefault(m => !IsReminder(m));
            if (invite is null) continue;
            var reminders = inbox.Where(IsReminder).ToList();
            if (NextAnswer(PersonaOf(i), ret, invite, reminders) is not var (action, at)) continue;
            var when = InWorkingDay(at > now ? at : now);
            if (when > now)
            {
                if (next is null || when < next) next = when;
                continue;
            }
            answers.Add((ret, Link().Match(inbox[^1].Body).Value, action,
                $"{ret.LeadName} {(action == "submit" ? "submitted" : "saved a draft")} through the form " +
                $"({PersonaOf(i)}, after {reminders.Count} reminders)"));
        }
        return (answers, next);
    }

    /// <summary>What a lead of each persona does next, and from when.</summary>
    private static (string Action, DateTimeOffset At)? NextAnswer(Persona persona, LeadReturn ret,
        MailboxMessage invite, IReadOnlyList<MailboxMessage> reminders) => persona switch
    {
        Persona.Prompt => ("submit", invite.ReceivedAt.AddHours(20)),
        Persona.Drafter when ret.Status == ReturnStatus.Draft => ("submit", invite.ReceivedAt.AddDays(3)),
        Persona.Drafter => ("save", invite.ReceivedAt.AddHours(20)),
        Persona.AfterReminder when reminders.Count >= 1 => ("submit", reminders[0].ReceivedAt.AddHours(2)),
        Persona.Late when reminders.Count >= 3 => ("submit", reminders[2].ReceivedAt.AddHours(3)),
        _ => null,
    };

    /// <summary>People answer between 08:00 and 18:59, London time: the moment itself, or the next 08:00.</summary>
    private static DateTimeOffset InWorkingDay(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, Reminders.WorkingCalendar.London);
        var day = DateOnly.FromDateTime(local.DateTime);
        return local.Hour switch
        {
            < 8 => Reminders.WorkingCalendar.AtLocal(day, new TimeOnly(8, 0)),
            > 18 => Reminders.WorkingCalendar.AtLocal(day.AddDays(1), new TimeOnly(8, 0)),
            _ => at,
        };
    }

    private readonly ConcurrentDictionary<string, HttpClient> _browsers = new();

    /// <summary>Each lead's own browser: its own cookies (the form's anti-forgery cookie among them).</summary>
    private HttpClient BrowserOf(string leadKey) => _browsers.GetOrAdd(leadKey, _ =>
        new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = http.BaseAddress });

    public void Dispose()
    {
        foreach (var browser in _browsers.Values) browser.Dispose();
    }

    private async Task AnswerAsync(HttpClient browser, string roundId, LeadReturn ret, string link, string action,
        CancellationToken ct)
    {
        var token = await FormClient.OpenAsync(browser, link, ct);
        var lead = await store.LoadLeadAsync(roundId, ret.LeadKey, ct) ?? throw new InvalidOperationException("No return.");
        var fields = new List<KeyValuePair<string, string>> { new("version", lead.Return.Version.ToString()), new("action", action) };
        var items = action == "save" ? lead.Items.Take(1) : lead.Items;
        // Dated for the quarter rehearsed, so a 2024-25 rehearsal's report does not speak of 2020.
        var quarter = lead.Header.Quarter;
        foreach (var (item, n) in items.Select((item, n) => (item, n)))
        {
            var status = n == 1 && item.PreviousStatus == RagStatus.Green ? RagStatus.Amber : item.PreviousStatus ?? RagStatus.Green;
            var progress = status == RagStatus.Amber
                ? "- A supplier's delay held the work back this quarter.\n- Corrective action: revised timetable " +
                  "agreed with the portfolio holder <to be confirmed at Cabinet> & reported monthly."
                : $"- Work on {item.Title.ToLowerInvariant()} continued in {quarter.Title}.\n" +
                  "- On track against the plan agreed with the portfolio holder.";
            fields.Add(new("status|" + item.Code, status.ToString()));
            fields.Add(new("progress|" + item.Code, progress));
            fields.Add(new("next|" + item.Code,
                $"- Review progress in Quarter {quarter.Next.Number}.\n- Report to the Portfolio Holder."));
        }
        using var response = await FormClient.PostAsync(browser, link, token, fields, ct);
        if ((int)response.StatusCode != 303)
            throw new InvalidOperationException($"Saving the form for {ret.LeadEmail} answered {(int)response.StatusCode}.");
    }

    private static bool IsReminder(MailboxMessage m) => m.Subject.StartsWith("Reminder:") || m.Subject.StartsWith("Overdue:");

    [GeneratedRegex(@"https?://\S+/api/forms/[A-Za-z0-9_-]{43}")]
    private static partial Regex Link();
}
