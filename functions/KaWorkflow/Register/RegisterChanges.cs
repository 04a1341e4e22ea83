namespace KaWorkflow.Register;

/// <summary>One activity that moves from one lead to another in a new register.</summary>
public sealed record MovedActivity(string Code, string Title, string FromLead, string ToLead);

/// <summary>One activity kept by its lead but edited: each change in words ("Team: Finance → Revenues").</summary>
public sealed record EditedActivity(string Code, string Title, IReadOnlyList<string> Changes);

/// <summary>What importing a register would change: activities added, removed, moved between leads, and otherwise
/// edited; and any lead whose address is at a domain no other lead uses (often a typing slip).</summary>
public sealed record RegisterChanges(
    IReadOnlyList<KeyActivity> Added, IReadOnlyList<KeyActivity> Removed, IReadOnlyList<MovedActivity> Moved,
    IReadOnlyList<EditedActivity> Edited, IReadOnlyList<string> LoneDomains)
{
    public bool None => Added.Count == 0 && Removed.Count == 0 && Moved.Count == 0 && Edited.Count == 0;

    /// <summary>Compares the current register with an uploaded one, by activity code. Pure.</summary>
    public static RegisterChanges Between(IReadOnlyList<KeyActivity> current, IReadOnlyList<KeyActivity> next)
    {
        var before = current.ToDictionary(a => a.Code, StringComparer.OrdinalIgnoreCase);
        var after = next.ToDictionary(a => a.Code, StringComparer.OrdinalIgnoreCase);
        var moved = new List<MovedActivity>();
        var edited = new List<EditedActivity>();
        foreach (var a in next.Where(a => before.ContainsKey(a.Code)))
        {
            var old = before[a.Code];
            // A new address under the same name is the same person's address edited, not a move.
            var samePerson = old.LeadKey == a.LeadKey
                             || string.Equals(old.LeadName, a.LeadName, StringComparison.OrdinalIgnoreCase);
            if (!samePerson) moved.Add(new MovedActivity(a.Code, a.Title, old.LeadName, a.LeadName));
            else if (Differences(old, a) is { Count: > 0 } changes)
                edited.Add(new EditedActivity(a.Code, a.Title, changes));
        }
        return new RegisterChanges(
            next.Where(a => !before.ContainsKey(a.Code)).ToList(),
            current.Where(a => !after.ContainsKey(a.Code)).ToList(),
            moved, edited, LoneDomainsIn(next));
    }

    /// <summary>Each change to an activity's fields, in words; moving up or down the register is no change.</summary>
    public static List<string> Differences(KeyActivity old, KeyActivity now)
    {
        var changes = new List<string>();
        void Compare(string what, string? was, string? @is, bool text = false)
        {
            if (string.Equals(was ?? "", @is ?? "", StringComparison.Ordinal)) return;
            static string Shown(string? value) => string.IsNullOrEmpty(value) ? "none" : value;
            changes.Add(text ? $"{what} edited" : $"{what}: {Shown(was)} → {Shown(@is)}");
        }
        Compare("Theme", old.Theme, now.Theme);
        Compare("Objective", old.Objective, now.Objective);
        Compare("Activity", old.Title, now.Title);
        Compare("Lead", old.LeadName, now.LeadName);
        Compare("Lead email", old.LeadEmail, now.LeadEmail);
        Compare("Team", old.Team, now.Team);
        Compare("Portfolio", old.Portfolio, now.Portfolio);
        Compare("Escalation contact", old.EscalationEmail, now.EscalationEmail);
        Compare("Previous status", old.PreviousStatus?.ToString(), now.PreviousStatus?.ToString());
        Compare("Previous progress", old.PreviousProgress, now.PreviousProgress, text: true);
        Compare("Previous next steps", old.PreviousNextSteps, now.PreviousNextSteps, text: true);
        return changes;
    }

    /// <summary>Leads' addresses at a domain no other lead uses, when the leads otherwise share one.</summary>
    public static List<string> LoneDomainsIn(IReadOnlyList<KeyActivity> register)
    {
        var addresses = register.Select(a => a.LeadKey).Distinct().ToList();
        var byDomain = addresses.GroupBy(a => a[(a.LastIndexOf('@') + 1)..]).ToList();
        if (addresses.Count < 3 || byDomain.Count == 1) return [];
        return byDomain.Where(d => d.Count() == 1).Select(d => d.Single()).Order(StringComparer.Ordinal).ToList();
    }
}
