using KaWorkflow.Register;
using KaWorkflow.Rounds;

namespace KaWorkflow.History;

/// <summary>What one round recorded for one Key Activity: the answer submitted, or why there is none.</summary>
/// <param name="AnsweredAt">When the lead submitted the return that carried it; null when nothing was.</param>
public sealed record QuarterEntry(
    string RoundId, string Code, string Title, RagStatus? Status, string? Progress, string? NextSteps,
    string LeadName, string? Team, DateTimeOffset? AnsweredAt, string? ExcusedReason)
{
    public Quarter Quarter => Quarter.Parse(RoundId);

    /// <summary>The status as the pages say it: the status, "Excused: reason" or "No update".</summary>
    public string StatusWords => ExcusedReason is { } reason ? $"Excused: {reason}" : Status?.ToString() ?? "No update";

    /// <summary>The report's status column it falls in: the status, "Excused" or "No update".</summary>
    public string StatusColumn => ExcusedReason is not null ? "Excused" : Status?.ToString() ?? "No update";

    /// <summary>"Q2 24-25 Amber": short enough for four in a line on a phone.</summary>
    public string Label => $"Q{Quarter.Number} {Quarter.FinancialYear[2..]} {StatusColumn}";

    /// <summary>Red or Amber: behind plan.</summary>
    public bool Struggling => Status is RagStatus.Red or RagStatus.Amber;
}

/// <summary>One Key Activity's story across quarters, oldest first, under its latest title.</summary>
public sealed record ActivityStory(string Code, string Title, IReadOnlyList<QuarterEntry> Quarters)
{
    /// <summary>The last <paramref name="count"/> quarters, oldest first.</summary>
    public IReadOnlyList<QuarterEntry> Last(int count) => Quarters.TakeLast(count).ToList();

    /// <summary>Whether it has been Red or Amber in each of its latest <paramref name="quarters"/> quarters.</summary>
    public bool StrugglingFor(int quarters) => Quarters.Count >= quarters && Last(quarters).All(q => q.Struggling);

    /// <summary>Whether its latest status is better than the quarter's before, as the report's direction of travel
    /// judges it (Deferred, excused and no update say nothing).</summary>
    public bool Improved => Quarters.Count >= 2
                            && Quarters[^1].ExcusedReason is null && Quarters[^2].ExcusedReason is null
                            && Reports.ReportBuilder.DirectionOf(Quarters[^2].Status, Quarters[^1].Status)
                            == Reports.Direction.Improved;
}

/// <summary>Every Key Activity's story across the rounds stored: pure, from what each round recorded.</summary>
public static class ActivityHistory
{
    /// <summary>Which stories a page shows.</summary>
    public enum Filter { All, Struggling, Improved }

    /// <summary>The quarters a trend shows.</summary>
    public const int TrendQuarters = 4;

    /// <summary>One story per activity code ever in a round, by code; each round's latest answers count (a round
    /// reopened after its report counts as it now stands).</summary>
    /// <remarks>An answer counts once its return is submitted; an activity of a return excused, or of a round that
    /// closed without it, is recorded as such; one still being answered in an open round is left out, as is a
    /// round still opening.</remarks>
    public static IReadOnlyList<ActivityStory> Of(IEnumerable<RoundRecord> rounds)
    {
        var entries = new Dictionary<string, List<QuarterEntry>>(StringComparer.OrdinalIgnoreCase);
        foreach (var round in rounds.Where(r => r.Header.Status != RoundStatus.Opening)
                     .OrderBy(r => r.Header.Id, StringComparer.Ordinal))
        {
            var returns = round.Returns.ToDictionary(r => r.LeadKey, StringComparer.OrdinalIgnoreCase);
            foreach (var item in round.Items)
            {
                var ret = returns.GetValueOrDefault(item.LeadKey);
                if (Entry(round.Header, ret, item) is not { } entry) continue;
                if (!entries.TryGetValue(item.Code, out var list)) entries[item.Code] = list = [];
                list.Add(entry);
            }
        }
        return entries.Values.Select(list => new ActivityStory(list[^1].Code, list[^1].Title, list))
            .OrderBy(s => s.Code, ActivityCodeComparer.Instance).ToList();
    }

    private static QuarterEntry? Entry(RoundHeader header, LeadReturn? ret, ReturnItem item)
    {
        var finished = header.Status is RoundStatus.Complete or RoundStatus.Closed;
        var submitted = ret?.Status == ReturnStatus.Submitted;
        if (!submitted && !finished && !item.Excused && ret?.Status != ReturnStatus.Excused) return null; // in hand
        var excused = item.ExcusedReason
                      ?? (ret?.Status == ReturnStatus.Excused ? ret.ExcusedReason ?? "excused" : null);
        return new QuarterEntry(header.Id, item.Code, item.Title, submitted && excused is null ? item.Status : null,
            submitted ? item.Progress : null, submitted ? item.NextSteps : null, ret?.LeadName ?? item.LeadKey,
            item.Team, submitted ? ret!.SubmittedAt : null, excused);
    }

    /// <summary>The stories a filter keeps.</summary>
    public static IReadOnlyList<ActivityStory> Where(IReadOnlyList<ActivityStory> stories, Filter filter) =>
        filter switch
        {
            Filter.Struggling => stories.Where(s => s.StrugglingFor(2)).ToList(),
            Filter.Improved => stories.Where(s => s.Improved).ToList(),
            _ => stories,
        };
}

/// <summary>What one round recorded: its header, its returns and its activities as they now stand.</summary>
public sealed record RoundRecord(
    RoundHeader Header, IReadOnlyList<LeadReturn> Returns, IReadOnlyList<ReturnItem> Items);
