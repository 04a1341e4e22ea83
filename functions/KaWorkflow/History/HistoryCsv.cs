using System.Globalization;
using System.Text;
using KaWorkflow.Register;
using KaWorkflow.Reminders;

namespace KaWorkflow.History;

/// <summary>Every quarter's answers as CSV, a row per activity and round, for Excel or Power BI; every cell defused
/// (a leading = + - @ kept as text).</summary>
public static class HistoryCsv
{
    public static readonly string[] Columns =
        ["Round", "Code", "Title", "Status", "Progress", "Next steps", "Lead", "Team", "Submitted"];

    public static string Write(IEnumerable<ActivityStory> stories)
    {
        var csv = new StringBuilder().AppendLine(string.Join(",", Columns));
        foreach (var q in stories.SelectMany(s => s.Quarters))
        {
            string?[] cells = [q.RoundId, q.Code, q.Title, q.StatusWords, q.Progress, q.NextSteps, q.LeadName, q.Team,
                q.AnsweredAt is { } at ? TimeZoneInfo.ConvertTime(at, WorkingCalendar.London)
                    .ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : null];
            csv.AppendLine(string.Join(",", cells.Select(c => Csv.Field(Csv.Defuse(c)))));
        }
        return csv.ToString();
    }
}
