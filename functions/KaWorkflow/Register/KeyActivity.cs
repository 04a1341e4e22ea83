namespace KaWorkflow.Register;

/// <summary>The statuses a lead can give an activity; the report shows the word and its colour together.</summary>
public enum RagStatus { Green, Amber, Red, Complete, Deferred }

/// <summary>One Key Activity of the corporate plan, as the register holds it.</summary>
/// <param name="Order">Position in the register, which fixes the order of themes and objectives in the report.</param>
/// <param name="EscalationEmail">Who else is copied when the lead's reminders are escalated (for example their
/// director), if anyone.</param>
public sealed record KeyActivity(
    int Order,
    string Theme,
    string? Objective,
    string Code,
    string Title,
    string LeadName,
    string LeadEmail,
    string? Team,
    string? Portfolio,
    RagStatus? PreviousStatus,
    string? PreviousProgress,
    string? PreviousNextSteps,
    string? EscalationEmail = null)
{
    /// <summary>The lead's identity in storage keys: the e-mail address, lower-cased.</summary>
    public string LeadKey => LeadEmail.ToLowerInvariant();
}

/// <summary>Orders activity codes naturally, so KA.01.02 comes before KA.01.10 and KA.2.1 before KA.10.1.</summary>
public sealed class ActivityCodeComparer : IComparer<string>
{
    public static readonly ActivityCodeComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var a = x.Split('.');
        var b = y.Split('.');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = int.TryParse(a[i], out var na) && int.TryParse(b[i], out var nb)
                ? na.CompareTo(nb)
                : string.Compare(a[i], b[i], StringComparison.OrdinalIgnoreCase);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }
}
