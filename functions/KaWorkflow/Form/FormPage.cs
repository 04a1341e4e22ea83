using System.Text;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Rounds;
using static KaWorkflow.Web.Html;

namespace KaWorkflow.Form;

/// <summary>Everything the form page shows: the return, what is in each field, errors and any banner.</summary>
public sealed record FormView(
    RoundHeader Round, LeadReturn Return, IReadOnlyList<ReturnItem> Items, string Token,
    IReadOnlyDictionary<string, TypedAnswer> Values, IReadOnlyDictionary<string, string> Errors,
    string? Banner = null, bool ReadOnly = false, IReadOnlyList<ReturnItem>? SavedElsewhere = null, int? PostedVersion = null);

/// <summary>Renders the lead's update form. Every piece of user text is encoded.</summary>
public static class FormPage
{
    /// <summary>What each field shows when nothing has been typed: this quarter's saved answer, else last quarter's.</summary>
    public static Dictionary<string, TypedAnswer> Prefill(IEnumerable<ReturnItem> items) => items.ToDictionary(i => i.Code, i => i.Answered
        ? new TypedAnswer(i.Status?.ToString(), i.Progress, i.NextSteps)
        : new TypedAnswer(i.PreviousStatus?.ToString(), i.PreviousProgress, i.PreviousNextSteps));

    public static string Render(FormView v, FormOptions limits)
    {
        var q = v.Round.Quarter;
        var sb = new StringBuilder();
        if (v.Errors.Count > 0)
        {
            sb.Append("""<div class="error-summary" role="alert" tabindex="-1"><h2>There is a problem</h2><ul>""");
            foreach (var (field, message) in v.Errors) sb.Append($"""<li><a href="#{E(field)}">{E(message)}</a></li>""");
            sb.Append("</ul></div>");
        }
        if (v.Banner is not null) sb.Append($"""<div class="notice" role="status">{E(v.Banner)}</div>""");
        sb.Append($"<h1>Key Activity update: {E(q.Title)}</h1>");
        sb.Append($"<p>For {E(v.Return.LeadName)}. Due by {E(RoundMails.Day(v.Return.DueBy(v.Round)))}. ");
        sb.Append(v.Return.Status switch
        {
            ReturnStatus.Submitted when v.ReadOnly => $"Submitted {E(RoundMails.Day(v.Return.SubmittedAt!.Value))}.</p>",
            ReturnStatus.Submitted => $"Submitted {E(RoundMails.Day(v.Return.SubmittedAt!.Value))}; you can still amend it until the round closes.</p>",
            ReturnStatus.Draft => "A draft is saved; submit when you are ready.</p>",
            _ => "Last quarter's answers are filled in: change what has moved on.</p>",
        });
        sb.Append($"""<p class="hint">Status is one of Green, Amber, Red, Complete or Deferred. Amber and Red need progress that explains the issue and the corrective action. Progress: up to {limits.MaxProgressLength:N0} characters; next steps: up to {limits.MaxNextStepsLength:N0}. Start a line with "- " to make a list.</p>""");
        var disabled = v.ReadOnly ? " disabled" : "";
        if (!v.ReadOnly) sb.Append($"""<form method="post" action="/api/forms/{E(v.Token)}" novalidate><input type="hidden" name="version" value="{v.PostedVersion ?? v.Return.Version}">""");
        foreach (var item in v.Items)
        {
            var value = v.Values.GetValueOrDefault(item.Code) ?? new TypedAnswer(null, null, null);
            var elsewhere = v.SavedElsewhere?.FirstOrDefault(s => s.Code == item.Code);
            sb.Append($"""<section class="activity" aria-labelledby="h-{E(item.Code)}"><h2 id="h-{E(item.Code)}">{E(item.Code)} {E(item.Title)}</h2>""");
            sb.Append($"""<p class="hint">{E(item.Theme)}{(item.Objective is null ? "" : " · " + E(item.Objective))}</p>""");
            if (item.Excused)
            {
                sb.Append($"""<p class="notice">Not required this quarter: {E(item.ExcusedReason)}</p></section>""");
                continue;
            }
            sb.Append($"""<details class="hint"><summary>Last quarter: {E(item.PreviousStatus?.ToString() ?? "no status")}</summary><div>{Rich(item.PreviousProgress)}</div><div><strong>Next steps:</strong>{Rich(item.PreviousNextSteps)}</div></details>""");
            if (elsewhere is not null)
                sb.Append($"""<div class="notice"><strong>Saved elsewhere meanwhile:</strong> {E(elsewhere.Status?.ToString() ?? "no status")}<div>{Rich(elsewhere.Progress)}</div><div>{Rich(elsewhere.NextSteps)}</div></div>""");
            var statusField = FormValidation.StatusField(item.Code);
            sb.Append($"""<fieldset class="radios" id="{E(statusField)}"><legend>Status</legend>""");
            if (v.Errors.TryGetValue(statusField, out var se)) sb.Append($"""<p class="error">Error: {E(se)}</p>""");
            foreach (var status in Enum.GetNames<RagStatus>())
            {
                var id = $"{statusField}-{status}";
                var check = string.Equals(value.Status, status, StringComparison.Ordinal) ? " checked" : "";
                sb.Append($"""<label for="{E(id)}"><input type="radio" id="{E(id)}" name="{E(statusField)}" value="{status}"{check}{disabled}> {status}</label>""");
            }
            if (value.Status is { Length: > 0 } typedStatus && !Enum.GetNames<RagStatus>().Contains(typedStatus))
                sb.Append($"""<p class="hint">You sent: {E(typedStatus)}</p>""");
            sb.Append("</fieldset>");
            Area(sb, FormValidation.ProgressField(item.Code), "Progress this quarter", value.Progress, v.Errors, disabled);
            Area(sb, FormValidation.NextField(item.Code), "Next steps", value.NextSteps, v.Errors, disabled);
            sb.Append("</section>");
        }
        if (!v.ReadOnly)
            sb.Append("""<button type="submit" name="action" value="submit">Submit update</button><button type="submit" name="action" value="save" class="secondary">Save and come back later</button></form>""");
        return Page($"Key Activity update: {q.Title}", sb.ToString());
    }

    private static void Area(StringBuilder sb, string field, string label, string? value, IReadOnlyDictionary<string, string> errors, string disabled)
    {
        var error = errors.GetValueOrDefault(field);
        sb.Append($"""<div class="{(error is null ? "" : "field-error")}"><label for="{E(field)}">{label}</label>""");
        if (error is not null) sb.Append($"""<p class="error" id="{E(field)}-error">Error: {E(error)}</p>""");
        sb.Append($"""<textarea id="{E(field)}" name="{E(field)}" rows="5"{(error is null ? "" : $" aria-describedby=\"{E(field)}-error\"")}{disabled}>{E(value)}</textarea></div>""");
    }

    /// <summary>A page for a link that cannot be used: what happened and whom to ask, and nothing about any round or lead.</summary>
    public static string Problem(string heading, string explanation, string contact) =>
        Page(heading, $"<h1>{E(heading)}</h1><p>{E(explanation)}</p><p>If you need a new link, contact the performance team: <a href=\"mailto:{E(contact)}\">{E(contact)}</a>.</p>");
}
