namespace KaWorkflow.Dashboard;

/// <summary>An event's detail in words for the lead's timeline: outbox ids such as <c>reminder|lead@…|2</c> become
/// "Reminder 2".</summary>
public static class TimelineWords
{
    public static string? Of(string? detail)
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
}
