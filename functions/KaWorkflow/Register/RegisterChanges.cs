namespace KaWorkflow.Register;

/// <summary>One activity that moves from one lead to another in a new register.</summary>
public sealed record MovedActivity(string Code, string Title, string FromLead, string ToLead);

/// <summary>What importing a register would change: activities added, removed, moved between leads, and otherwise
/// edited.</summary>
public sealed record RegisterChanges(
    IReadOnlyList<KeyActivity> Added, IReadOnlyList<KeyActivity> Removed, IReadOnlyList<MovedActivity> Moved,
    IReadOnlyList<KeyActivity> Edited)
{
    public bool None => Added.Count == 0 && Removed.Count == 0 && Moved.Count == 0 && Edited.Count == 0;

    /// <summary>Compares the current register with an uploaded one, by activity code. Pure.</summary>
    public static RegisterChanges Between(IReadOnlyList<KeyActivity> current, IReadOnlyList<KeyActivity> next)
    {
        var before = current.ToDictionary(a => a.Code, StringComparer.OrdinalIgnoreCase);
        var after = next.ToDictionary(a => a.Code, StringComparer.OrdinalIgnoreCase);
        var moved = new List<MovedActivity>();
        var edited = new List<KeyActivity>();
        foreach (var a in next.Where(a => before.ContainsKey(a.Code)))
        {
            var old = before[a.Code];
            if (old.LeadKey != a.LeadKey) moved.Add(new MovedActivity(a.Code, a.Title, old.LeadName, a.LeadName));
            else if (old with { Order = 0 } != a with { Order = 0 }) edited.Add(a);
        }
        return new RegisterChanges(
            next.Where(a => !before.ContainsKey(a.Code)).ToList(),
            current.Where(a => !after.ContainsKey(a.Code)).ToList(),
            moved, edited);
    }
}
