using KaWorkflow.Register;

namespace KaWorkflow.Reports;

/// <summary>The report as CSV: one row per activity with every field, for people who want it in Excel.</summary>
public static class CsvReportWriter
{
    public static string Write(ReportModel m)
    {
        var lines = new List<string> {
            "Round,Theme,Objective,Code,Activity,Status,Direction,Progress,Next steps,CMT " +
            "lead,Team,Portfolio,Previous status" + (m.Wording.Trend ? ",Trend" : "")
            + (m.Year is null ? "" : ",Red or Amber all year") };
        var allYear = m.Year?.StrugglingAllYear.Select(r => r.Item.Code).ToHashSet() ?? [];
        foreach (var group in m.Groups)
            foreach (var row in group.Rows)
            {
                var i = row.Item;
                lines.Add(string.Join(',', new string?[]
                {
                    m.Round.Id, group.Theme, group.Objective, i.Code, i.Title, ReportModel.Label(row),
                    row.Received ? row.Direction.ToString() : "",
                    row.Received ? i.Progress : row.Excused ? row.ExcusedText : "", row.Received ? i.NextSteps : "",
                    row.LeadName, i.Team, i.Portfolio, i.PreviousStatus?.ToString(),
                }.Concat(m.Wording.Trend ? [row.TrendText] : [])
                    .Concat(m.Year is null ? [] : [allYear.Contains(i.Code) ? "Yes" : ""])
                    .Select(v => Csv.Field(Csv.Defuse(v)))));
            }
        return "\uFEFF" + string.Join("\r\n", lines) + "\r\n";
    }
}
