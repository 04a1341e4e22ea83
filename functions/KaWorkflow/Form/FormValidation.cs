using KaWorkflow.Register;
using KaWorkflow.Rounds;

namespace KaWorkflow.Form;

/// <summary>What a lead typed for one activity, exactly as typed.</summary>
public sealed record TypedAnswer(string? Status, string? Progress, string? NextSteps);

/// <summary>The verdict on a posted form: the answers to store, or an error per field.</summary>
public sealed record FormVerdict(IReadOnlyDictionary<string, Answer> Answers, IReadOnlyDictionary<string, string> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>Checks a posted form. Pure; errors are keyed by field name (<c>status|KA.01.01</c>, <c>progress|…</c>,
/// <c>next|…</c>).</summary>
public static class FormValidation
{
    public static string StatusField(string code) => "status|" + code;
    public static string ProgressField(string code) => "progress|" + code;
    public static string NextField(string code) => "next|" + code;

    /// <param name="submit">Submitting needs every activity complete; saving a draft accepts gaps.</param>
    public static FormVerdict Validate(IReadOnlyList<ReturnItem> items, IReadOnlyDictionary<string,
        TypedAnswer> typed, bool submit, FormOptions limits)
    {
        var answers = new Dictionary<string, Answer>();
        var errors = new Dictionary<string, string>();
        foreach (var item in items.Where(i => !i.Excused))
        {
            var t = typed.GetValueOrDefault(item.Code) ?? new TypedAnswer(null, null, null);
            RagStatus? status = null;
            if (!string.IsNullOrWhiteSpace(t.Status))
            {
                if (Enum.TryParse<RagStatus>(t.Status, out var s) && Enum.IsDefined(s) && !int.TryParse(t.Status, out _)) status = s;
                else errors[StatusField(item.Code)] = $"Choose Green, Amber, Red, Complete or Deferred for {item.Code}";
            }
            else if (submit)
            {
                errors[StatusField(item.Code)] = $"Choose a status for {item.Code}";
            }
            var progress = Clean(t.Progress);
            var next = Clean(t.NextSteps);
            if (progress is { } p && p.Length > limits.MaxProgressLength)
                errors[ProgressField(item.Code)] =
                    $"Progress for {item.Code} must be {limits.MaxProgressLength:N0} characters or fewer (it is " +
                    $"{p.Length:N0})";
            else if (submit && status is RagStatus.Amber or RagStatus.Red && progress is null)
                errors[ProgressField(item.Code)] = $"Explain the issue and the corrective action for {item.Code}, as it is {status}";
            // Green, Complete and Deferred may leave progress empty, as the council's own report does.
            else if (submit && PlainText.HasMarkup(t.Progress ?? ""))
                errors[ProgressField(item.Code)] =
                    $"Formatting pasted into progress for {item.Code} was removed: check the text, then submit again";
            if (submit && PlainText.HasMarkup(t.NextSteps ?? "") && !errors.ContainsKey(NextField(item.Code)))
                errors[NextField(item.Code)] =
                    $"Formatting pasted into next steps for {item.Code} was removed: check the text, then submit again";
            if (next is { } n && n.Length > limits.MaxNextStepsLength)
                errors[NextField(item.Code)] =
                    $"Next steps for {item.Code} must be {limits.MaxNextStepsLength:N0} characters or fewer (it is " +
                    $"{n.Length:N0})";
            answers[item.Code] = new Answer(status, progress, next);
        }
        return new FormVerdict(answers, errors);
    }

    /// <summary>Normalises line endings and trims the ends, and turns pasted markup into plain text
    /// (<see cref="PlainText"/>); text without markup is kept exactly as typed.</summary>
    public static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var plain = PlainText.FromPasted(text.Replace("\r\n", "\n").Replace('\r', '\n')).Trim();
        return plain.Length == 0 ? null : plain;
    }
}
