using System.Globalization;
using System.Text;
using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Reports;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using KaWorkflow.Web;
using static KaWorkflow.Web.Html;

namespace KaWorkflow.Dashboard;

/// <summary>The performance team's pages, in the GOV.UK Design System. Every piece of stored text is encoded.</summary>
public static class DashboardPages
{
    public const string Root = "/api/dashboard";
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    private static string Nav => $"""<nav aria-label="Dashboard" class="govuk-!-display-inline-block govuk-!-margin-left-6"><a class="govuk-link govuk-link--inverse govuk-!-margin-right-4" href="{Root}">Rounds</a><a class="govuk-link govuk-link--inverse" href="{Root}/register">Register</a></nav>""";

    private static string Dashboard(string title, string body, bool error = false) => Page(title, body, error, Nav);

    /// <summary>An event's detail in words: outbox ids such as <c>reminder|lead@…|2</c> become "Reminder 2".</summary>
    public static string? Words(string? detail)
    {
        if (detail is null) return null;
        var parts = detail.Split(':')[0].Split('|');
        var words = parts switch
        {
            ["invite", _, var n] => n == "1" ? "Invitation" : $"Invitation (new link {n})",
            ["reminder", _, var n] => $"Reminder {n}",
            ["delegate", _, _] => "Delegate's link",
            ["notice", ..] => "Notice",
            ["report" or "report-ready", var v] => $"Report {v}",
            _ => null,
        };
        return words is null ? detail : detail.Contains(':') ? words + ":" + detail[(detail.IndexOf(':') + 1)..] : words;
    }

    public static string When(DateTimeOffset? at) => WorkingCalendar.Display(at);

    private static string Day(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, WorkingCalendar.London).ToString("dddd d MMMM yyyy", EnGb);

    private static string Tag(LeadState state) => state switch
    {
        LeadState.Submitted => $"""<strong class="govuk-tag govuk-tag--green">{RoundProgress.Describe(state)}</strong>""",
        LeadState.Overdue => $"""<strong class="govuk-tag govuk-tag--red">{RoundProgress.Describe(state)}</strong>""",
        LeadState.DraftSaved => $"""<strong class="govuk-tag govuk-tag--yellow">{RoundProgress.Describe(state)}</strong>""",
        LeadState.Opened => $"""<strong class="govuk-tag govuk-tag--blue">{RoundProgress.Describe(state)}</strong>""",
        _ => $"""<strong class="govuk-tag govuk-tag--grey">{RoundProgress.Describe(state)}</strong>""",
    };

    private static string RoundTag(RoundStatus status) => status switch
    {
        RoundStatus.Open => """<strong class="govuk-tag govuk-tag--blue">Open</strong>""",
        RoundStatus.Complete => """<strong class="govuk-tag govuk-tag--green">Complete</strong>""",
        RoundStatus.Closed => """<strong class="govuk-tag govuk-tag--grey">Closed</strong>""",
        _ => """<strong class="govuk-tag govuk-tag--yellow">Opening</strong>""",
    };

    public static string Banner(string? done, bool success = true) => done is null ? "" :
        $"""<div class="govuk-notification-banner{(success ? " govuk-notification-banner--success" : "")}" role="alert" aria-labelledby="done-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="done-title">{(success ? "Success" : "Important")}</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">{E(done)}</p></div></div>""";

    private static string Errors(IEnumerable<(string Field, string Message)> errors)
    {
        var list = errors.ToList();
        if (list.Count == 0) return "";
        var sb = new StringBuilder("""<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">""");
        foreach (var (field, message) in list) sb.Append($"""<li><a href="#{E(field)}">{E(message)}</a></li>""");
        return sb.Append("</ul></div></div></div>").ToString();
    }

    private static string Antiforgery(string token) => $"""<input type="hidden" name="__RequestVerificationToken" value="{E(token)}">""";

    // ---- rounds ----

    public static string Rounds(IReadOnlyList<RoundProgress> rounds, DateTimeOffset? nextOpening, Quarter suggested, string token, string? done, string? error)
    {
        var sb = new StringBuilder(Errors(error is null ? [] : [("round-id", error)]));
        sb.Append(Banner(done));
        sb.Append("""<h1 class="govuk-heading-l">Key Activity rounds</h1>""");
        sb.Append(nextOpening is { } next
            ? $"""<p class="govuk-body">The next round opens by itself on {E(Day(next))} at {E(TimeZoneInfo.ConvertTime(next, WorkingCalendar.London).ToString("HH:mm", EnGb))}.</p>"""
            : """<p class="govuk-body">Rounds do not open by themselves: open one below.</p>""");
        sb.Append("""<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">Every round</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Round</th><th scope="col" class="govuk-table__header">State</th><th scope="col" class="govuk-table__header">Opened</th><th scope="col" class="govuk-table__header">Due</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Submitted</th></tr></thead><tbody class="govuk-table__body">""");
        if (rounds.Count == 0) sb.Append("""<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="5">No rounds yet.</td></tr>""");
        foreach (var r in rounds)
            sb.Append($"""<tr class="govuk-table__row"><th scope="row" class="govuk-table__header"><a class="govuk-link" href="{Root}/rounds/{E(r.Header.Id)}">{E(r.Header.Quarter.Title)}</a></th><td class="govuk-table__cell">{RoundTag(r.Header.Status)}</td><td class="govuk-table__cell">{E(When(r.Header.OpenedAt))}</td><td class="govuk-table__cell">{E(When(r.Header.Deadline))}</td><td class="govuk-table__cell govuk-table__cell--numeric">{r.Submitted} of {r.Wanted}</td></tr>""");
        sb.Append("</tbody></table>");
        sb.Append($"""<h2 class="govuk-heading-m">Open a round now</h2><form method="post" action="{Root}/rounds" novalidate>{Antiforgery(token)}<div class="govuk-form-group{(error is null ? "" : " govuk-form-group--error")}"><label class="govuk-label" for="round-id">Round</label><div class="govuk-hint" id="round-id-hint">Financial year and quarter, for example {E(suggested.RoundId)}. A round opens only once; invites go out at once within the working day.</div>""");
        if (error is not null) sb.Append($"""<p id="round-id-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {E(error)}</p>""");
        sb.Append($"""<input class="govuk-input govuk-input--width-10{(error is null ? "" : " govuk-input--error")}" id="round-id" name="roundId" type="text" value="{E(suggested.RoundId)}" aria-describedby="round-id-hint{(error is null ? "" : " round-id-error")}"></div><button class="govuk-button" data-module="govuk-button" data-prevent-double-click="true">Open round</button></form>""");
        return Dashboard("Rounds", sb.ToString(), error is not null);
    }

    // ---- one round ----

    public static string Round(RoundProgress p, string? filter, string? sort, bool desc, string token, string? done, IReadOnlyList<Reports.ReportFile> reports)
    {
        var h = p.Header;
        var sb = new StringBuilder(Banner(done));
        sb.Append($"""<span class="govuk-caption-l">{E(h.Id)}</span><h1 class="govuk-heading-l">{E(h.Quarter.Title)} {RoundTag(h.Status)}</h1>""");
        sb.Append($"""<p class="govuk-body">Opened {E(Day(h.OpenedAt))}; due {E(Day(h.Deadline))}.{(h.CompletedAt is { } c ? $" Finished {E(Day(c))}." : "")}</p>""");
        sb.Append($"""<ul class="govuk-list"><li><a class="govuk-link" href="{Root}/rounds/{E(h.Id)}/activities">Register snapshot: every activity in this round</a></li><li><a class="govuk-link" href="{Root}/rounds/{E(h.Id)}/chase-calendar">Chase calendar</a></li><li><a class="govuk-link" href="#reports">Report versions ({reports.Count(b => b.Name.EndsWith("report.html"))})</a></li></ul>""");
        sb.Append(Table(p, filter, sort, desc, h.Status == RoundStatus.Open));
        if (p.Held.Count > 0)
        {
            sb.Append($"""<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>{p.Held.Count} e-mails held: Graph does not yet let the app send as the council's mailbox. If the mailbox permission was granted recently it can take an hour or more; they are tried every 15 minutes and go by themselves once it works.</strong></div>""");
        }
        if (p.Parked.Count > 0)
        {
            sb.Append("""<h2 class="govuk-heading-m">E-mails that could not be sent</h2><ul class="govuk-list govuk-list--bullet">""");
            foreach (var e in p.Parked) sb.Append($"""<li>{E(e.Id)}: {E(e.LastError)}</li>""");
            sb.Append("</ul>");
        }
        sb.Append("""<h2 class="govuk-heading-m" id="reports">Reports</h2>""");
        if (reports.Count == 0) sb.Append("""<p class="govuk-body">No report yet: one is assembled when every return is in or the round is closed.</p>""");
        else
        {
            sb.Append("""<ul class="govuk-list">""");
            foreach (var b in reports)
                sb.Append($"""<li><a class="govuk-link" href="/api/reports/{E(b.Name)}">{E(b.Name)}</a> ({(b.Draft ? "draft, " : "")}{E(When(b.LastModified))})</li>""");
            sb.Append("</ul>");
        }
        if (h.Status == RoundStatus.Open)
        {
            sb.Append("""<h2 class="govuk-heading-m">Round actions</h2>""");
            sb.Append($"""<form method="post" action="{Root}/rounds/{E(h.Id)}/draft-report" class="govuk-!-margin-bottom-6">{Antiforgery(token)}<p class="govuk-body">A draft report shows what is in now, marked DRAFT on every page, as the next report version.</p><button class="govuk-button govuk-button--secondary" data-module="govuk-button" data-prevent-double-click="true">Assemble a draft report</button></form>""");
            sb.Append(ActionForm(h.Id, ActionNames.Extend, "Extend the deadline for everyone", token, deadline: true));
            sb.Append(ActionForm(h.Id, ActionNames.Close, "Close the round now", token, warning: "Missing returns will show as \"No update received\" in the report."));
        }
        return Dashboard(h.Quarter.Title, sb.ToString());
    }

    /// <summary>The progress bar and leads table: the part that refreshes by itself while the round is open.</summary>
    public static string Table(RoundProgress p, string? filter, string? sort, bool desc, bool live)
    {
        var id = p.Header.Id;
        var rows = RoundProgress.Sort(p.Filter(filter), sort, desc);
        var query = (string? f, string? s, bool d) => $"?{(f is null ? "" : $"filter={f}&")}sort={s ?? "lateness"}{(d ? "&desc=true" : "")}";
        var sb = new StringBuilder($"""<div id="progress"{(live ? $" data-ka-refresh=\"{Root}/rounds/{E(id)}/table{E(query(filter, sort, desc))}\"" : "")}>""");
        sb.Append($"""<h2 class="govuk-heading-m">Progress</h2><label class="govuk-label" for="progress-bar">{p.Submitted} of {p.Wanted} returns submitted ({p.Percent}%){(p.Overdue > 0 ? $"; {p.Overdue} overdue" : "")}</label><progress id="progress-bar" class="ka-progress" max="{Math.Max(1, p.Wanted)}" value="{p.Submitted}">{p.Percent}%</progress>""");
        if (p.Queued.Count > 0)
            sb.Append($"""<p class="govuk-body"><strong>{p.Queued.Count} invitations queued:</strong> they go out on {E(Day(p.Queued.Min(e => e.NotBefore)))} at {E(TimeZoneInfo.ConvertTime(p.Queued.Min(e => e.NotBefore), WorkingCalendar.London).ToString("HH:mm", EnGb))}, in the working day's send window.</p>""");
        if (live) sb.Append($"""<p class="govuk-body-s" aria-live="polite">Updated {E(When(p.AsOf))}; this table refreshes by itself.</p>""");
        sb.Append("""<nav aria-label="Filter leads"><ul class="govuk-list ka-filters">""");
        foreach (var (key, label) in new (string?, string)[] { (null, "All"), ("outstanding", "Outstanding"), ("overdue", "Overdue"), ("not-opened", "Not opened") })
            sb.Append(key == filter
                ? $"""<li><strong aria-current="page">{label}</strong></li>"""
                : $"""<li><a class="govuk-link" href="{Root}/rounds/{E(id)}{E(query(key, sort, desc))}">{label}</a></li>""");
        sb.Append("</ul></nav>");
        sb.Append($"""<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">{rows.Count} of {p.Leads.Count} leads</caption><thead class="govuk-table__head"><tr class="govuk-table__row">""");
        foreach (var (key, label, numeric) in new[] { ("lead", "Lead", false), ("state", "Return", false), ("answered", "Answered", true), ("last-activity", "Last activity", false), ("reminders", "Reminders", true), ("next-reminder", "Next reminder", false) })
        {
            var current = (sort ?? "lateness") == key;
            var aria = current ? $" aria-sort=\"{(desc ? "descending" : "ascending")}\"" : "";
            sb.Append($"""<th scope="col" class="govuk-table__header{(numeric ? " govuk-table__header--numeric" : "")}"{aria}><a class="govuk-link" href="{Root}/rounds/{E(id)}{E(query(filter, key, current && !desc))}">{label}</a></th>""");
        }
        sb.Append("""<th scope="col" class="govuk-table__header">Unsent e-mails</th></tr></thead><tbody class="govuk-table__body">""");
        foreach (var l in rows)
            sb.Append($"""<tr class="govuk-table__row"><th scope="row" class="govuk-table__header"><a class="govuk-link" href="{Root}/rounds/{E(id)}/leads/{Uri.EscapeDataString(l.LeadKey)}">{E(l.Name)}</a></th><td class="govuk-table__cell">{Tag(l.State)}{(l.DaysOverdue > 0 ? $" <span class=\"govuk-body-s\">{l.DaysOverdue} {(l.DaysOverdue == 1 ? "day" : "days")} late</span>" : "")}{(l.Escalated ? " <strong class=\"govuk-tag govuk-tag--orange\">Escalated</strong>" : "")}</td><td class="govuk-table__cell govuk-table__cell--numeric">{l.Answered} of {l.Total}</td><td class="govuk-table__cell">{E(When(l.LastActivity))}</td><td class="govuk-table__cell govuk-table__cell--numeric">{l.RemindersSent}</td><td class="govuk-table__cell">{E(When(l.NextReminderAt))}</td><td class="govuk-table__cell">{(l.ParkedEmails == 0 ? "None" : $"<strong class=\"govuk-tag govuk-tag--red\">{l.ParkedEmails}</strong>")}</td></tr>""");
        sb.Append("</tbody></table></div>");
        return sb.ToString();
    }

    // ---- one lead ----

    public static string Lead(LeadDetail d, string token, string? done)
    {
        var l = d.Progress;
        var id = d.Round.Id;
        var sb = new StringBuilder(Banner(done));
        sb.Append($"""<a href="{Root}/rounds/{E(id)}" class="govuk-back-link">Back to {E(d.Round.Quarter.Title)}</a>""");
        sb.Append($"""<span class="govuk-caption-l">{E(d.Round.Quarter.Title)}</span><h1 class="govuk-heading-l">{E(l.Name)}</h1>""");
        sb.Append("""<dl class="govuk-summary-list">""");
        void Row(string key, string valueHtml) => sb.Append($"""<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{key}</dt><dd class="govuk-summary-list__value">{valueHtml}</dd></div>""");
        Row("E-mail", E(l.Email));
        Row("Return", Tag(l.State) + (d.Return.ExcusedReason is { } why ? $" {E(why)}" : ""));
        Row("Answered", $"{l.Answered} of {l.Total}");
        Row("Due", E(Day(l.DueBy)));
        Row("Reminders sent", $"{l.RemindersSent}; next {E(When(l.NextReminderAt))}");
        Row("Delegate", d.Return.Delegate is { } del ? $"{E(d.Return.DelegateName)} ({E(del)})" : "None");
        if (d.Return.EscalationEmail is { } esc) Row("Escalation contact", E(esc));
        sb.Append("</dl>");

        sb.Append("""<h2 class="govuk-heading-m">Timeline</h2><ol class="govuk-list ka-timeline">""");
        foreach (var e in d.Timeline.OrderByDescending(e => e.At))
            sb.Append($"""<li><strong>{E(When(e.At))}</strong> {E(Describe(e.Type))} <span class="govuk-body-s">by {E(e.Actor)}{(Words(e.Detail) is { } detail ? $" · {E(detail)}" : "")}</span></li>""");
        sb.Append("</ol>");

        sb.Append("""<h2 class="govuk-heading-m">Current answers</h2>""");
        foreach (var i in d.Items)
        {
            sb.Append($"""<h3 class="govuk-heading-s">{E(i.Code)} {E(i.Title)}</h3><dl class="govuk-summary-list govuk-!-margin-bottom-4">""");
            sb.Append($"""<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Status</dt><dd class="govuk-summary-list__value">{(i.Excused ? "Not required this quarter: " + E(i.ExcusedReason) : E(i.Status?.ToString() ?? "Not answered"))}</dd></div>""");
            sb.Append($"""<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Progress</dt><dd class="govuk-summary-list__value">{Rich(i.Progress)}</dd></div>""");
            sb.Append($"""<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Next steps</dt><dd class="govuk-summary-list__value">{Rich(i.NextSteps)}</dd></div></dl>""");
        }

        sb.Append("""<h2 class="govuk-heading-m">Actions</h2>""");
        if (d.Round.Status == RoundStatus.Open)
        {
            sb.Append(ActionForm(id, ActionNames.Extend, $"Extend {l.Name}'s deadline", token, lead: l.Email, deadline: true));
            sb.Append(ActionForm(id, ActionNames.Resend, "Send a new link (the old one stops working)", token, lead: l.Email));
            sb.Append(ActionForm(id, ActionNames.Reassign, "Move an activity to another lead", token, codes: d.Items.Select(i => i.Code).ToList(), leads: d.OtherLeads));
            sb.Append(ActionForm(id, ActionNames.Excuse, "Excuse an activity, or the whole return", token, lead: l.Email, codes: d.Items.Where(i => !i.Excused).Select(i => i.Code).ToList(), optionalCode: true));
        }
        else sb.Append(ActionForm(id, ActionNames.Reopen, "Reopen this return (the report is assembled again as a new version)", token, lead: l.Email));
        return Dashboard(l.Name, sb.ToString());
    }

    private static string Describe(string type) => type.Replace('-', ' ') switch { var t => char.ToUpperInvariant(t[0]) + t[1..] };

    private const string DeadlineHint = "For example, 28 7 2024. Chasing restarts from it.";

    /// <summary>A first-step action form: it goes to a confirmation page, never straight to the change.</summary>
    private static string ActionForm(string roundId, string action, string title, string token, string? lead = null, bool deadline = false,
        IReadOnlyList<string>? codes = null, IReadOnlyList<LeadReturn>? leads = null, bool optionalCode = false, string? warning = null)
    {
        var f = $"{action}-{(lead ?? "round").GetHashCode():x}";
        var sb = new StringBuilder($"""<form method="post" action="{Root}/rounds/{E(roundId)}/confirm" class="ka-action" novalidate>{Antiforgery(token)}<input type="hidden" name="action" value="{E(action)}">""");
        sb.Append($"""<fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{E(title)}</legend>""");
        if (warning is not null) sb.Append($"""<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>{E(warning)}</strong></div>""");
        if (lead is not null) sb.Append($"""<input type="hidden" name="lead" value="{E(lead)}">""");
        if (deadline) sb.Append(DateInput($"{f}-deadline", "deadline", "New deadline", DeadlineHint, null));
        if (codes is not null)
        {
            sb.Append($"""<div class="govuk-form-group"><label class="govuk-label" for="{f}-code">Activity</label><select class="govuk-select" id="{f}-code" name="code">""");
            if (optionalCode) sb.Append("""<option value="">The whole return</option>""");
            foreach (var c in codes) sb.Append($"""<option value="{E(c)}">{E(c)}</option>""");
            sb.Append("</select></div>");
        }
        if (leads is not null)
        {
            sb.Append($"""<div class="govuk-form-group"><label class="govuk-label" for="{f}-to">Move to</label><select class="govuk-select" id="{f}-to" name="toLead">""");
            foreach (var o in leads) sb.Append($"""<option value="{E(o.LeadEmail)}">{E(o.LeadName)}</option>""");
            sb.Append("</select></div>");
        }
        sb.Append($"""<div class="govuk-form-group"><label class="govuk-label" for="{f}-reason">Reason</label><div class="govuk-hint" id="{f}-reason-hint">Kept in the round's history with your name.</div><input class="govuk-input" id="{f}-reason" name="reason" type="text" aria-describedby="{f}-reason-hint"></div>""");
        sb.Append("""<button class="govuk-button govuk-button--secondary" data-module="govuk-button">Continue</button></fieldset></form>""");
        return sb.ToString();
    }

    /// <summary>The confirmation step: what will happen, in words, with the same fields carried over; or the refusal beside them.</summary>
    /// <param name="deadline">The deadline as typed, shown again in its boxes when it is not a date.</param>
    public static string Confirm(string roundId, string action, ActionRequest request, string token, string? error,
        DateField? deadline = null)
    {
        var dateError = deadline?.Error;
        var what = action switch
        {
            ActionNames.Extend => $"Move {(request.Lead is null ? "the whole round's" : $"{request.Lead}'s")} deadline to "
                + (request.Deadline is { } to ? to.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture) : "the date below"),
            ActionNames.Reassign => $"Move {request.Code} to {request.ToLead}; both leads are told by e-mail",
            ActionNames.Excuse => request.Code is { Length: > 0 } ? $"Excuse {request.Code}: the report will say \"not required this quarter\"" : $"Excuse {request.Lead}'s whole return",
            ActionNames.Resend => $"Send {request.Lead} a new link; the old one stops working",
            ActionNames.Close => "Close the round now; missing returns show as \"No update received\" and the report is assembled",
            ActionNames.Reopen => $"Reopen {request.Lead}'s return; they get a new link and the report is assembled again when they submit",
            _ => action,
        };
        var errors = new List<(string, string)>();
        if (dateError is not null) errors.Add(("deadline-day", dateError));
        if (error is not null) errors.Add(("confirm", error));
        var sb = new StringBuilder(Errors(errors));
        sb.Append($"""<a href="{Root}/rounds/{E(roundId)}" class="govuk-back-link">Back</a><h1 class="govuk-heading-l">Check before you confirm</h1>""");
        sb.Append($"""<dl class="govuk-summary-list"><div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Action</dt><dd class="govuk-summary-list__value">{E(what)}</dd></div><div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Reason</dt><dd class="govuk-summary-list__value">{E(request.Reason)}</dd></div></dl>""");
        sb.Append($"""<form method="post" action="{Root}/rounds/{E(roundId)}/act" novalidate>{Antiforgery(token)}<input type="hidden" name="action" value="{E(action)}">""");
        foreach (var (name, value) in new[] { ("lead", request.Lead), ("code", request.Code), ("toLead", request.ToLead), ("deadline", request.Deadline?.ToString("yyyy-MM-dd")) })
            if (value is not null) sb.Append($"""<input type="hidden" name="{name}" value="{E(value)}">""");
        if (dateError is not null) sb.Append(DateInput("deadline", "deadline", "New deadline", DeadlineHint, deadline));
        sb.Append($"""<div class="govuk-form-group{(error is null ? "" : " govuk-form-group--error")}"><label class="govuk-label" for="confirm">Reason</label>""");
        if (error is not null) sb.Append($"""<p id="confirm-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {E(error)}</p>""");
        sb.Append($"""<input class="govuk-input" id="confirm" name="reason" type="text" value="{E(request.Reason)}"></div><div class="govuk-button-group"><button class="govuk-button" data-module="govuk-button" data-prevent-double-click="true">Confirm</button><a class="govuk-link" href="{Root}/rounds/{E(roundId)}">Cancel</a></div></form>""");
        return Dashboard("Check before you confirm", sb.ToString(), errors.Count > 0);
    }

    // ---- lists ----

    public static string ChaseCalendar(string roundId, IReadOnlyList<PlannedMail> mails)
    {
        var sb = new StringBuilder($"""<a href="{Root}/rounds/{E(roundId)}" class="govuk-back-link">Back</a><h1 class="govuk-heading-l">Chase calendar for {E(roundId)}</h1><p class="govuk-body">Every e-mail the policy sends if nobody replied. A lead who submits is not chased again.</p>""");
        sb.Append("""<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">E-mails by date</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">When</th><th scope="col" class="govuk-table__header">Kind</th><th scope="col" class="govuk-table__header">To</th><th scope="col" class="govuk-table__header">Copied to</th><th scope="col" class="govuk-table__header">Subject</th></tr></thead><tbody class="govuk-table__body">""");
        foreach (var m in mails)
            sb.Append($"""<tr class="govuk-table__row"><td class="govuk-table__cell">{E(When(m.At))}</td><td class="govuk-table__cell">{E(m.Kind)}</td><td class="govuk-table__cell">{E(m.To)}</td><td class="govuk-table__cell">{E(string.Join(", ", m.Cc))}</td><td class="govuk-table__cell">{E(m.Subject)}</td></tr>""");
        return Dashboard($"Chase calendar {roundId}", sb.Append("</tbody></table>").ToString());
    }

    public static string Activities(string roundId, IReadOnlyList<ReturnItem> items, IReadOnlyList<LeadProgress> leads)
    {
        var names = leads.ToDictionary(l => l.LeadKey, l => l.Name);
        var sb = new StringBuilder($"""<a href="{Root}/rounds/{E(roundId)}" class="govuk-back-link">Back</a><h1 class="govuk-heading-l">Activities in {E(roundId)}</h1><p class="govuk-body">The register as it stood when the round opened, with this round's moves and exclusions.</p>""");
        sb.Append("""<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">Register snapshot</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Activity</th><th scope="col" class="govuk-table__header">Theme</th><th scope="col" class="govuk-table__header">Lead</th><th scope="col" class="govuk-table__header">Status</th></tr></thead><tbody class="govuk-table__body">""");
        foreach (var i in items)
            sb.Append($"""<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{E(i.Code)} {E(i.Title)}</th><td class="govuk-table__cell">{E(i.Theme)}</td><td class="govuk-table__cell">{E(names.GetValueOrDefault(i.LeadKey, i.LeadKey))}</td><td class="govuk-table__cell">{(i.Excused ? "Not required" : E(i.Status?.ToString() ?? "–"))}</td></tr>""");
        return Dashboard($"Activities {roundId}", sb.Append("</tbody></table>").ToString());
    }

    // ---- register ----

    public static string Register(IReadOnlyList<KeyActivity> current, string token, string? done, IReadOnlyList<RegisterError>? errors = null, string? csv = null)
    {
        var sb = new StringBuilder(Errors((errors ?? []).Select(e => ("register-file", e.ToString()))));
        sb.Append(Banner(done));
        sb.Append($"""<h1 class="govuk-heading-l">Key Activity register</h1><p class="govuk-body">{current.Count} activities for {current.Select(a => a.LeadKey).Distinct().Count()} leads. New rounds take the register as it is when they open; open rounds keep their own copy. <a class="govuk-link" href="/api/admin/register">Download it as CSV</a>.</p>""");
        sb.Append($"""<form method="post" action="{Root}/register/preview" enctype="multipart/form-data" novalidate>{Antiforgery(token)}<div class="govuk-form-group{(errors is { Count: > 0 } ? " govuk-form-group--error" : "")}"><label class="govuk-label govuk-label--m" for="register-file">Upload a new register</label><div class="govuk-hint" id="register-file-hint">A CSV with the columns Theme, Objective, Code, Activity, Lead, Lead email, Team, Portfolio, Previous status, Previous progress, Previous next steps, Escalation contact. You will see what changes before anything is replaced.</div>""");
        if (errors is { Count: > 0 }) sb.Append($"""<p id="register-file-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Nothing was imported: {errors.Count} problems, listed above.</p>""");
        sb.Append("""<input class="govuk-file-upload" id="register-file" name="file" type="file" accept=".csv,text/csv" aria-describedby="register-file-hint"></div><button class="govuk-button" data-module="govuk-button">Preview the changes</button></form>""");
        if (csv is not null) sb.Append($"""<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">The file you uploaded</span></summary><div class="govuk-details__text"><pre class="govuk-body-s">{E(csv)}</pre></div></details>""");
        sb.Append("""<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">The current register</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Activity</th><th scope="col" class="govuk-table__header">Lead</th><th scope="col" class="govuk-table__header">Last status</th></tr></thead><tbody class="govuk-table__body">""");
        foreach (var a in current)
            sb.Append($"""<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{E(a.Code)} {E(a.Title)}</th><td class="govuk-table__cell">{E(a.LeadName)}</td><td class="govuk-table__cell">{E(a.PreviousStatus?.ToString() ?? "–")}</td></tr>""");
        return Dashboard("Register", sb.Append("</tbody></table>").ToString(), errors is { Count: > 0 });
    }

    public static string RegisterPreview(RegisterChanges changes, int total, string csv, string token)
    {
        var sb = new StringBuilder($"""<a href="{Root}/register" class="govuk-back-link">Back</a><h1 class="govuk-heading-l">Check the new register</h1><p class="govuk-body">It has {total} activities. Compared with the current register:</p>""");
        void Section(string title, IEnumerable<string> lines)
        {
            var list = lines.ToList();
            sb.Append($"""<h2 class="govuk-heading-m">{E(title)} ({list.Count})</h2>""");
            if (list.Count == 0) { sb.Append("""<p class="govuk-body">None.</p>"""); return; }
            sb.Append("""<ul class="govuk-list govuk-list--bullet">""");
            foreach (var l in list) sb.Append($"<li>{E(l)}</li>");
            sb.Append("</ul>");
        }
        Section("Added", changes.Added.Select(a => $"{a.Code} {a.Title} ({a.LeadName})"));
        Section("Removed", changes.Removed.Select(a => $"{a.Code} {a.Title} ({a.LeadName})"));
        Section("Moved between leads", changes.Moved.Select(m => $"{m.Code} {m.Title}: {m.FromLead} to {m.ToLead}"));
        Section("Otherwise changed", changes.Edited.Select(a => $"{a.Code} {a.Title}"));
        sb.Append($"""<form method="post" action="{Root}/register/apply" novalidate>{Antiforgery(token)}<input type="hidden" name="csv" value="{E(csv)}"><div class="govuk-button-group"><button class="govuk-button" data-module="govuk-button" data-prevent-double-click="true">Replace the register</button><a class="govuk-link" href="{Root}/register">Cancel</a></div></form>""");
        return Dashboard("Check the new register", sb.ToString());
    }

    public static string Problem(string heading, string text) =>
        Dashboard(heading, $"""<h1 class="govuk-heading-l">{E(heading)}</h1><p class="govuk-body">{E(text)}</p><p class="govuk-body"><a class="govuk-link" href="{Root}">Back to the rounds</a></p>""", error: true);
}
