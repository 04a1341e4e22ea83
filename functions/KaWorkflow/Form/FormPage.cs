using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Rounds;
using static KaWorkflow.Web.Html;

namespace KaWorkflow.Form;

/// <summary>How a banner at the top of the form reads: success (saved), important (for information) or a problem.</summary>
public enum BannerKind { Success, Important, Problem }

/// <summary>Everything the form page shows: the return, what is in each field, errors and any banner.</summary>
/// <param name="Actor">Who is using the link: the lead, or their delegate.</param>
/// <param name="JustSaved">The page follows a successful save, so the browser's unsaved copy can go.</param>
public sealed record FormView(
    RoundHeader Round, LeadReturn Return, IReadOnlyList<ReturnItem> Items, string Token, string AntiforgeryToken,
    IReadOnlyDictionary<string, TypedAnswer> Values, IReadOnlyDictionary<string, string> Errors,
    string? Banner = null, BannerKind BannerKind = BannerKind.Important, bool ReadOnly = false,
    IReadOnlyList<ReturnItem>? SavedElsewhere = null, int? PostedVersion = null, string? Actor = null,
    IReadOnlyList<ReturnVersion>? Versions = null, bool JustSaved = false, IReadOnlyDictionary<string, string>? DelegateErrors = null,
    string? DelegateName = null, string? DelegateEmail = null, string? Ticket = null);

/// <summary>Renders the lead's update form in the GOV.UK Design System. Every piece of user text is encoded.</summary>
public static partial class FormPage
{
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>What each field shows when nothing has been typed: this quarter's saved answer, else last quarter's.</summary>
    public static Dictionary<string, TypedAnswer> Prefill(IEnumerable<ReturnItem> items) => items.ToDictionary(i => i.Code, i => i.Answered
        ? new TypedAnswer(i.Status?.ToString(), i.Progress, i.NextSteps)
        : new TypedAnswer(i.PreviousStatus?.ToString(), i.PreviousProgress, i.PreviousNextSteps));

    /// <summary>An element id for a field name: codes may hold dots and field names a bar, which make awkward fragments.</summary>
    public static string Id(string field) => NotIdSafe().Replace(field, "-");

    public static string Render(FormView v, FormOptions limits)
    {
        var q = v.Round.Quarter;
        var sb = new StringBuilder();
        var wanted = v.Items.Where(i => !i.Excused).ToList();
        sb.Append("""<div class="govuk-grid-row"><div class="govuk-grid-column-full">""");
        if (v.Errors.Count > 0)
        {
            sb.Append("""<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">""");
            foreach (var (field, message) in v.Errors) sb.Append($"""<li><a href="#{Id(field)}">{E(message)}</a></li>""");
            sb.Append("</ul></div></div></div>");
        }
        if (v.Banner is not null) Banner(sb, v.Banner, v.BannerKind);
        sb.Append("""<div id="ka-restore" class="govuk-notification-banner" role="region" aria-labelledby="ka-restore-title" hidden><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="ka-restore-title">Unsaved text on this device</h2></div><div class="govuk-notification-banner__content"><p class="govuk-body">This device kept text you typed at <span data-ka-when></span> that was not saved. It differs from what is shown below.</p><button type="button" class="govuk-button govuk-button--secondary">Put my unsaved text back</button></div></div>""");

        sb.Append($"""<span class="govuk-caption-l">{E(q.Title)}</span><h1 class="govuk-heading-l">Key Activity update</h1>""");
        var due = v.Return.DueBy(v.Round);
        sb.Append($"""<p class="govuk-body-l">For {E(v.Return.LeadName)}{(v.Actor is { } a && !a.Equals(v.Return.LeadEmail, StringComparison.OrdinalIgnoreCase) ? $", filled in by {E(a)}" : "")}. Due by {E(RoundMails.Day(due))}.</p>""");
        var answered = wanted.Count(i => i.Answered);
        sb.Append($"""<p class="govuk-body">{StatusLine(v)} {answered} of {wanted.Count} activities have a status saved this quarter.</p>""");

        if (v.ReadOnly)
        {
            // A refused save: what was typed is shown beside each activity, for the lead to copy.
            var refused = v.BannerKind == BannerKind.Problem;
            foreach (var item in v.Items) ReadOnlyItem(sb, item, refused ? v.Values.GetValueOrDefault(item.Code) : null);
            History(sb, v.Versions);
            sb.Append("</div></div>");
            return Page($"Key Activity update: {q.Title}", sb.ToString(), error: false);
        }

        sb.Append($"""<div class="govuk-inset-text">Choose a status for each activity: Green, Amber, Red, Complete or Deferred. Amber and Red need progress that explains the issue and the corrective action; for Green, Complete and Deferred it is optional. Progress can be up to {limits.MaxProgressLength:N0} characters and next steps up to {limits.MaxNextStepsLength:N0}. Start a line with "- " to make a list. Last quarter's answers are filled in: change what has moved on. <strong>Save and come back later</strong> keeps your work without checking it; <strong>Submit</strong> checks everything.</div>""");
        sb.Append($"""<form method="post" action="/api/forms/{E(v.Token)}" novalidate data-ka-autosave="{E(v.Round.Id)}:{E(v.Return.LeadKey)}" data-ka-saved="{(v.JustSaved ? "true" : "false")}">""");
        sb.Append($"""<input type="hidden" name="__RequestVerificationToken" value="{E(v.AntiforgeryToken)}"><input type="hidden" name="version" value="{v.PostedVersion ?? v.Return.Version}">""");
        if (v.Ticket is not null) sb.Append($"""<input type="hidden" name="{SaveTickets.Field}" value="{E(v.Ticket)}">""");
        foreach (var item in v.Items) EditableItem(sb, item, v, limits);
        sb.Append("""<div class="govuk-button-group"><button type="submit" name="action" value="submit" class="govuk-button" data-module="govuk-button" data-prevent-double-click="true">Submit update</button><button type="submit" name="action" value="save" class="govuk-button govuk-button--secondary" data-module="govuk-button" data-prevent-double-click="true">Save and come back later</button></div></form>""");
        if (v.Actor is null || v.Actor.Equals(v.Return.LeadEmail, StringComparison.OrdinalIgnoreCase)) Delegate(sb, v);
        History(sb, v.Versions);
        sb.Append("</div></div>");
        return Page($"Key Activity update: {q.Title}", sb.ToString(), error: v.Errors.Count > 0 || (v.DelegateErrors?.Count ?? 0) > 0);
    }

    private static string StatusLine(FormView v) => v.Return.Status switch
    {
        ReturnStatus.Submitted => $"Submitted {E(When(v.Return.SubmittedAt!.Value))} by {E(v.Return.SubmittedBy)}{(v.ReadOnly ? "." : "; you can still amend it until the round closes.")}",
        ReturnStatus.Draft => $"Draft saved {E(When(v.Return.SavedAt ?? v.Round.OpenedAt))} by {E(v.Return.SavedBy)}; submit when you are ready.",
        ReturnStatus.Excused => $"The performance team has excused this return: {E(v.Return.ExcusedReason)}.",
        ReturnStatus.NoUpdate => "The round closed before this return was submitted.",
        _ => "Not submitted yet.",
    };

    private static string When(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Reminders.WorkingCalendar.London).ToString("h:mmtt 'on' dddd d MMMM", EnGb).Replace("AM", "am").Replace("PM", "pm");

    private static void Banner(StringBuilder sb, string text, BannerKind kind)
    {
        if (kind == BannerKind.Problem)
        {
            sb.Append($"""<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">Your update has not been saved yet</h2><div class="govuk-error-summary__body"><p class="govuk-body">{E(text)}</p></div></div></div>""");
            return;
        }
        var success = kind == BannerKind.Success;
        sb.Append($"""<div class="govuk-notification-banner{(success ? " govuk-notification-banner--success" : "")}" role="{(success ? "alert" : "region")}" aria-labelledby="banner-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="banner-title">{(success ? "Success" : "Important")}</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">{E(text)}</p></div></div>""");
    }

    private static void Heading(StringBuilder sb, ReturnItem item)
    {
        sb.Append($"""<div class="ka-activity" id="a-{Id(item.Code)}"><h2 class="govuk-heading-m">{E(item.Code)} {E(item.Title)}</h2>""");
        sb.Append($"""<p class="govuk-body-s">{E(item.Theme)}{(item.Objective is null ? "" : " · " + E(item.Objective))}</p>""");
    }

    private static void EditableItem(StringBuilder sb, ReturnItem item, FormView v, FormOptions limits)
    {
        Heading(sb, item);
        if (item.Excused)
        {
            sb.Append($"""<p class="govuk-body"><strong class="govuk-tag govuk-tag--grey">Not required this quarter</strong> {E(item.ExcusedReason)}</p></div>""");
            return;
        }
        sb.Append($"""<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Last quarter: {E(item.PreviousStatus?.ToString() ?? "no status")}</span></summary><div class="govuk-details__text ka-text"><h3 class="govuk-heading-s">Progress</h3>{Rich(item.PreviousProgress)}<h3 class="govuk-heading-s">Next steps</h3>{Rich(item.PreviousNextSteps)}</div></details>""");
        if (v.SavedElsewhere?.FirstOrDefault(s => s.Code == item.Code) is { } other)
        {
            var mine = v.Values.GetValueOrDefault(item.Code);
            var differs = mine is null || mine.Status != other.Status?.ToString() || (mine.Progress ?? "").Trim() != (other.Progress ?? "") || (mine.NextSteps ?? "").Trim() != (other.NextSteps ?? "");
            if (differs)
                sb.Append($"""<div class="ka-both"><h3 class="govuk-heading-s">The other saved version</h3><p class="govuk-body">Status: {E(other.Status?.ToString() ?? "none")}</p><div class="ka-text">{Rich(other.Progress)}</div><p class="govuk-body"><strong>Next steps:</strong></p><div class="ka-text">{Rich(other.NextSteps)}</div><p class="govuk-body-s">Your text is in the fields below. Copy anything you want to keep from the other version before saving.</p></div>""");
        }
        var value = v.Values.GetValueOrDefault(item.Code) ?? new TypedAnswer(null, null, null);
        var statusField = FormValidation.StatusField(item.Code);
        var statusError = v.Errors.GetValueOrDefault(statusField);
        var sid = Id(statusField);
        sb.Append($"""<div class="govuk-form-group{(statusError is null ? "" : " govuk-form-group--error")}"><fieldset class="govuk-fieldset" aria-describedby="{sid}-hint{(statusError is null ? "" : $" {sid}-error")}"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Status<span class="govuk-visually-hidden"> of {E(item.Code)}</span></legend>""");
        sb.Append($"""<div id="{sid}-hint" class="govuk-hint">Green: on track. Amber: at risk. Red: off track. Complete or Deferred.</div>""");
        if (statusError is not null) sb.Append($"""<p id="{sid}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {E(statusError)}</p>""");
        if (value.Status is { Length: > 0 } typedStatus && !Enum.GetNames<RagStatus>().Contains(typedStatus))
            sb.Append($"""<p class="govuk-body">You sent: {E(typedStatus)}</p>""");
        sb.Append("""<div class="govuk-radios govuk-radios--small govuk-radios--inline" data-module="govuk-radios">""");
        var first = true;
        foreach (var status in Enum.GetNames<RagStatus>())
        {
            var id = first ? sid : $"{sid}-{status}";
            first = false;
            var check = string.Equals(value.Status, status, StringComparison.Ordinal) ? " checked" : "";
            sb.Append($"""<div class="govuk-radios__item"><input class="govuk-radios__input" id="{id}" name="{E(statusField)}" type="radio" value="{status}"{check}><label class="govuk-label govuk-radios__label" for="{id}">{status}</label></div>""");
        }
        sb.Append("</div></fieldset></div>");
        Area(sb, item.Code, FormValidation.ProgressField(item.Code), "Progress this quarter",
            $"For Amber or Red, explain the issue and the corrective action. Up to {limits.MaxProgressLength:N0} characters.", value.Progress, limits.MaxProgressLength, v.Errors);
        Area(sb, item.Code, FormValidation.NextField(item.Code), "Next steps", $"Up to {limits.MaxNextStepsLength:N0} characters.", value.NextSteps, limits.MaxNextStepsLength, v.Errors);
        sb.Append("</div>");
    }

    private static void Area(StringBuilder sb, string code, string field, string label, string hint, string? value, int max, IReadOnlyDictionary<string, string> errors)
    {
        var error = errors.GetValueOrDefault(field);
        var id = Id(field);
        sb.Append($"""<div class="govuk-form-group govuk-character-count{(error is null ? "" : " govuk-form-group--error")}" data-module="govuk-character-count" data-maxlength="{max}">""");
        sb.Append($"""<label class="govuk-label govuk-label--s" for="{id}">{label}<span class="govuk-visually-hidden"> for {E(code)}</span></label><div id="{id}-hint" class="govuk-hint">{E(hint)}</div>""");
        if (error is not null) sb.Append($"""<p id="{id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {E(error)}</p>""");
        sb.Append($"""<textarea class="govuk-textarea govuk-js-character-count{(error is null ? "" : " govuk-textarea--error")}" id="{id}" name="{E(field)}" rows="5" aria-describedby="{id}-info {id}-hint{(error is null ? "" : $" {id}-error")}">{E(value)}</textarea>""");
        sb.Append($"""<div id="{id}-info" class="govuk-hint govuk-character-count__message">You can enter up to {max:N0} characters</div></div>""");
    }

    private static void ReadOnlyItem(StringBuilder sb, ReturnItem item, TypedAnswer? typed = null)
    {
        Heading(sb, item);
        if (item.Excused)
        {
            sb.Append($"""<p class="govuk-body"><strong class="govuk-tag govuk-tag--grey">Not required this quarter</strong> {E(item.ExcusedReason)}</p></div>""");
            return;
        }
        sb.Append("""<dl class="govuk-summary-list">""");
        sb.Append($"""<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Status</dt><dd class="govuk-summary-list__value">{E(item.Status?.ToString() ?? "No update")}</dd></div>""");
        sb.Append($"""<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Progress</dt><dd class="govuk-summary-list__value ka-text">{Rich(item.Progress)}</dd></div>""");
        sb.Append($"""<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Next steps</dt><dd class="govuk-summary-list__value ka-text">{Rich(item.NextSteps)}</dd></div>""");
        sb.Append("</dl>");
        if (typed is not null && (typed.Progress ?? "") + (typed.NextSteps ?? "") != (item.Progress ?? "") + (item.NextSteps ?? ""))
        {
            sb.Append("""<div class="govuk-inset-text"><h3 class="govuk-heading-s">What you typed (not saved)</h3>""");
            sb.Append($"""<p class="govuk-body">Status: {E(typed.Status ?? "none")}</p><div class="ka-text">{Rich(typed.Progress)}</div>""");
            sb.Append($"""<p class="govuk-body"><strong>Next steps:</strong></p><div class="ka-text">{Rich(typed.NextSteps)}</div></div>""");
        }
        sb.Append("</div>");
    }

    private static void Delegate(StringBuilder sb, FormView v)
    {
        var errors = v.DelegateErrors ?? new Dictionary<string, string>();
        sb.Append("""<h2 class="govuk-heading-m" id="delegate">Ask someone to fill this in for you</h2>""");
        if (v.Return.Delegate is { } current)
        {
            sb.Append($"""<p class="govuk-body">{E(v.Return.DelegateName)} ({E(current)}) has their own link to this form. What they save is recorded under their name.</p>""");
            sb.Append($"""<form method="post" action="/api/forms/{E(v.Token)}/delegate" novalidate><input type="hidden" name="__RequestVerificationToken" value="{E(v.AntiforgeryToken)}"><input type="hidden" name="remove" value="true"><button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button">Stop {E(v.Return.DelegateName)}'s link working</button></form>""");
        }
        sb.Append($"""<p class="govuk-body">They get their own link by e-mail{(v.Return.Delegate is null ? "" : ", replacing the current delegate")}. You can still use yours.</p>""");
        if (errors.Count > 0)
        {
            sb.Append("""<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem with the delegate</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">""");
            foreach (var (field, message) in errors) sb.Append($"""<li><a href="#{field}">{E(message)}</a></li>""");
            sb.Append("</ul></div></div></div>");
        }
        sb.Append($"""<form method="post" action="/api/forms/{E(v.Token)}/delegate" novalidate><input type="hidden" name="__RequestVerificationToken" value="{E(v.AntiforgeryToken)}">""");
        Input(sb, "delegate-name", "delegateName", "Their name", v.DelegateName, errors, "name");
        Input(sb, "delegate-email", "delegateEmail", "Their work e-mail address", v.DelegateEmail, errors, "email");
        sb.Append("""<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button" data-prevent-double-click="true">Send them a link</button></form>""");
    }

    private static void Input(StringBuilder sb, string id, string name, string label, string? value, IReadOnlyDictionary<string, string> errors, string autocomplete)
    {
        var error = errors.GetValueOrDefault(id);
        sb.Append($"""<div class="govuk-form-group{(error is null ? "" : " govuk-form-group--error")}"><label class="govuk-label" for="{id}">{label}</label>""");
        if (error is not null) sb.Append($"""<p id="{id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {E(error)}</p>""");
        sb.Append($"""<input class="govuk-input govuk-!-width-two-thirds{(error is null ? "" : " govuk-input--error")}" id="{id}" name="{name}" type="{(autocomplete == "email" ? "email" : "text")}" autocomplete="{autocomplete}" spellcheck="false" value="{E(value)}"{(error is null ? "" : $" aria-describedby=\"{id}-error\"")}></div>""");
    }

    private static void History(StringBuilder sb, IReadOnlyList<ReturnVersion>? versions)
    {
        if (versions is not { Count: > 0 }) return;
        sb.Append($"""<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Saved versions ({versions.Count})</span></summary><div class="govuk-details__text"><ol class="govuk-list govuk-list--number">""");
        foreach (var v in versions.OrderByDescending(v => v.Number))
        {
            var what = v.Type switch { "submitted" => "Submitted", "amended" => "Amended", _ => "Draft saved" };
            var changed = v.Changes.Count == 0 ? "no answers changed" : "changed " + string.Join(", ", v.Changes.Select(c => c.Code));
            sb.Append($"""<li>{what} by {E(v.Actor)} at {E(When(v.At))}: {E(changed)}</li>""");
        }
        sb.Append("</ol></div></details>");
    }

    /// <summary>
    /// A page for a link that cannot be used: what happened and whom to ask, and nothing about any round or lead.
    /// When it answers a POST, what the person typed is shown again so that nothing is lost.
    /// </summary>
    public static string Problem(string heading, string explanation, string contact, IFormCollection? typed = null)
    {
        var sb = new StringBuilder($"""<h1 class="govuk-heading-l">{E(heading)}</h1><p class="govuk-body">{E(explanation)}</p><p class="govuk-body">If you need a new link, contact the performance team: <a class="govuk-link" href="mailto:{E(contact)}">{E(contact)}</a>.</p>""");
        Typed(sb, typed, editable: false);
        return Page(heading, sb.ToString(), error: true);
    }

    /// <summary>
    /// The page when storage could not be reached during a save: a clear error, and everything typed in a form that
    /// can be sent again as it is (with no storage, the activities' titles cannot be shown; their codes can).
    /// </summary>
    public static string Unavailable(string token, IFormCollection typed, string antiforgeryToken, string contact)
    {
        var sb = new StringBuilder("""<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">Your update has not been saved yet</h2><div class="govuk-error-summary__body"><p class="govuk-body">Sorry, the service could not save just now. Nothing you typed is lost: it is all below. Try again in a minute with the button at the bottom.</p></div></div></div>""");
        sb.Append("""<h1 class="govuk-heading-l">Your update is waiting to be saved</h1>""");
        sb.Append($"""<form method="post" action="/api/forms/{E(token)}" novalidate><input type="hidden" name="__RequestVerificationToken" value="{E(antiforgeryToken)}">""");
        foreach (var key in new[] { "version", "action", SaveTickets.Field }) sb.Append($"""<input type="hidden" name="{key}" value="{E(typed[key].ToString())}">""");
        Typed(sb, typed, editable: true);
        sb.Append($"""<button type="submit" class="govuk-button" data-module="govuk-button" data-prevent-double-click="true">Try saving again</button></form><p class="govuk-body">If it keeps failing, copy your text somewhere safe and contact <a class="govuk-link" href="mailto:{E(contact)}">{E(contact)}</a>.</p>""");
        return Page("Your update has not been saved yet", sb.ToString(), error: true);
    }

    private static void Typed(StringBuilder sb, IFormCollection? typed, bool editable)
    {
        if (typed is null) return;
        var fields = typed.Keys.Where(k => k.Contains('|')).ToList();
        if (fields.Count == 0) return;
        if (!editable) sb.Append("""<h2 class="govuk-heading-m">What you typed</h2><p class="govuk-body">It was not saved. Copy it before you leave this page.</p>""");
        foreach (var key in fields)
        {
            var value = typed[key].ToString();
            var id = "typed-" + Id(key);
            var (kind, code) = (key[..key.IndexOf('|')], key[(key.IndexOf('|') + 1)..]);
            var label = kind switch { "status" => "Status", "progress" => "Progress", "next" => "Next steps", _ => kind } + " for " + code;
            if (kind == "status" && editable)
            {
                sb.Append($"""<input type="hidden" name="{E(key)}" value="{E(value)}"><p class="govuk-body">{E(label)}: <strong>{E(value)}</strong></p>""");
                continue;
            }
            sb.Append($"""<div class="govuk-form-group"><label class="govuk-label govuk-label--s" for="{id}">{E(label)}</label><textarea class="govuk-textarea" id="{id}" {(editable ? $"name=\"{E(key)}\"" : "readonly")} rows="4">{E(value)}</textarea></div>""");
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex NotIdSafe();
}
