using System.Globalization;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Rounds;

namespace KaWorkflow.Reports;

/// <summary>How an activity's status moved since last quarter.</summary>
public enum Direction { New, Improved, Unchanged, Worse }

/// <summary>One row of the report.</summary>
/// <param name="Received">A submitted answer is shown; otherwise "No update received".</param>
/// <param name="Excused">The performance team excused the activity or its lead, with <paramref
/// name="ExcusedReason"/>.</param>
/// <param name="Trend">Its last quarters, oldest first, as "Q1 24-25 Green" (empty unless the report has a Trend
/// column).</param>
public sealed record ReportRow(ReturnItem Item, string LeadName, bool Received, Direction Direction, bool Excused = false,
    string? ExcusedReason = null, IReadOnlyList<string>? Trend = null)
{
    /// <summary>The Trend cell's text.</summary>
    public string TrendText => string.Join(", ", Trend ?? []);

    /// <summary>What every format says in the progress cell of an excused activity.</summary>
    public string ExcusedText => string.IsNullOrWhiteSpace(ExcusedReason) ? "Excused" : $"Excused: {ExcusedReason}";

    /// <summary>The "CMT Lead / Team" cell, as the council's report has it: the team, else the lead's name.</summary>
    public string LeadOrTeam => string.IsNullOrWhiteSpace(Item.Team) ? LeadName : Item.Team;
}

/// <summary>A table of the report: a theme, and within it a corporate objective (or none).</summary>
public sealed record ReportGroup(string Theme, string? Objective, IReadOnlyList<ReportRow> Rows);

/// <summary>The report's content, independent of format.</summary>
public sealed record ReportModel(ReportOptions Wording, RoundHeader Round, int Version, bool Draft,
    DateTimeOffset AssembledAt, IReadOnlyList<ReportGroup> Groups)
{
    /// <summary>Q4's look back over the year; null in other quarters.</summary>
    public YearInReview? Year { get; init; }

    /// <summary>The council that publishes the report.</summary>
    public string Council => Wording.CouncilName;

    public IEnumerable<ReportRow> Rows => Groups.SelectMany(g => g.Rows);

    /// <summary>The report's title, in every format.</summary>
    public string Title => Wording.TitleFor(Round.Quarter);

    /// <summary>The line under the title in every format: the quarter covered, when returns were collected, and
    /// when and in which version the report was assembled.</summary>
    public string Provenance =>
        $"Period {Day(Round.Quarter.Start)} to {Day(Round.Quarter.End)}. " +
        $"Collected from {RoundMails.Day(Round.OpenedAt)} to {RoundMails.Day(Round.Deadline)}. " +
        $"Assembled {RoundMails.LondonTime(AssembledAt)} (version {Version}).";

    private static string Day(DateOnly d) => d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>Counts by status (and "No update") for each theme and overall, in the register's theme order.</summary>
    public IReadOnlyList<(string Theme, IReadOnlyDictionary<string, int> Counts)> Summary()
    {
        static IReadOnlyDictionary<string, int> Count(IEnumerable<ReportRow> rows) => StatusColumns
            .ToDictionary(s => s, s => rows.Count(r => Label(r) == s));
        var themes = Groups.Select(g => g.Theme).Distinct()
            .Select(t => (t, Count(Groups.Where(g => g.Theme == t).SelectMany(g => g.Rows)))).ToList();
        themes.Add(("All themes", Count(Rows)));
        return themes;
    }

    public static readonly string[] StatusColumns = [.. Enum.GetNames<RagStatus>(), "No update", "Excused"];

    public static string Label(ReportRow row) => row.Excused ? "Excused" : row.Received ? row.Item.Status!.Value.ToString() : "No update";
}

/// <summary>Builds the report model from a round's returns and items. Pure.</summary>
public static class ReportBuilder
{
    public static ReportModel Build(ReportOptions wording, RoundHeader round, int version, bool draft,
        DateTimeOffset now,
        IReadOnlyList<LeadReturn> returns, IReadOnlyList<ReturnItem> items,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? trends = null)
    {
        var leads = returns.ToDictionary(r => r.LeadKey);
        var groups = items
            .OrderBy(i => i.Order)
            .GroupBy(i => (i.Theme, i.Objective))
            .Select(g => new ReportGroup(g.Key.Theme, g.Key.Objective, g
                .OrderBy(i => i.Code, ActivityCodeComparer.Instance)
                .Select(i =>
                {
                    var lead = leads.GetValueOrDefault(i.LeadKey);
                    var excused = i.Excused || lead?.Status == ReturnStatus.Excused;
                    return new ReportRow(i, lead?.LeadName ?? i.LeadKey, !excused && lead?.Status == ReturnStatus.Submitted && i.Answered,
                        DirectionOf(i.PreviousStatus, i.Status), excused, i.ExcusedReason ?? lead?.ExcusedReason,
                        trends?.GetValueOrDefault(i.Code));
                })
                .ToList()))
            .ToList();
        return new ReportModel(wording, round, version, draft, now, groups);
    }

    /// <summary>Complete is best, then Green, Amber, Red; Deferred and no answer say nothing about direction.</summary>
    public static Direction DirectionOf(RagStatus? previous, RagStatus? current)
    {
        static int? Rank(RagStatus? s) => s switch
        {
            RagStatus.Complete => 4, RagStatus.Green => 3, RagStatus.Amber => 2, RagStatus.Red => 1, _ => null,
        };
        if (previous is null) return Direction.New;
        var (p, c) = (Rank(previous), Rank(current));
        if (p is null || c is null) return previous == current ? Direction.Unchanged : Direction.New;
        return c > p ? Direction.Improved : c < p ? Direction.Worse : Direction.Unchanged;
    }
}
