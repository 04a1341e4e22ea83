using KaWorkflow.History;
using KaWorkflow.Register;
using KaWorkflow.Rounds;

namespace KaWorkflow.Reports;

/// <summary>A Q4 report's look back over the financial year: counts by status for each quarter, and the activities
/// that were Red or Amber in every one of them.</summary>
/// <param name="ByQuarter">Each quarter's counts under <see cref="ReportModel.StatusColumns"/>, Q1 first.</param>
public sealed record YearInReview(
    IReadOnlyList<(string Theme, IReadOnlyDictionary<string, int> Counts)> ByQuarter,
    IReadOnlyList<ReportRow> StrugglingAllYear)
{
    /// <summary>The year in review for a Q4 round's report (null for any other quarter): the earlier quarters as the
    /// stories recorded them, this one as the report shows it. Pure.</summary>
    public static YearInReview? Of(ReportModel report, IReadOnlyList<ActivityStory> stories)
    {
        var quarter = report.Round.Quarter;
        if (quarter.Number != 4) return null;
        var earlier = Enumerable.Range(1, 3).Select(n => new Quarter(quarter.StartYear, n).RoundId).ToList();
        var byCode = stories.ToDictionary(s => s.Code, StringComparer.OrdinalIgnoreCase);
        QuarterEntry? In(string code, string roundId) =>
            byCode.TryGetValue(code, out var s) ? s.Quarters.FirstOrDefault(q => q.RoundId == roundId) : null;

        var rows = new List<(string, IReadOnlyDictionary<string, int>)>();
        foreach (var roundId in earlier)
        {
            var entries = stories.Select(s => s.Quarters.FirstOrDefault(q => q.RoundId == roundId))
                .OfType<QuarterEntry>();
            rows.Add((Quarter.Parse(roundId).Title, Count(entries.Select(q => q.StatusColumn))));
        }
        rows.Add((quarter.Title, Count(report.Rows.Select(ReportModel.Label))));
        var struggling = report.Rows
            .Where(r => ReportModel.Label(r) is nameof(RagStatus.Red) or nameof(RagStatus.Amber))
            .Where(r => earlier.All(id => In(r.Item.Code, id) is { Struggling: true, ExcusedReason: null }))
            .ToList();
        return new YearInReview(rows, struggling);
    }

    private static IReadOnlyDictionary<string, int> Count(IEnumerable<string> labels)
    {
        var list = labels.ToList();
        return ReportModel.StatusColumns.ToDictionary(s => s, s => list.Count(l => l == s));
    }
}
