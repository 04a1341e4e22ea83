using System.Text;
using KaWorkflow.Register;
using static KaWorkflow.Web.Html;

namespace KaWorkflow.Reports;

/// <summary>The report as one self-contained, printable HTML file in the council's layout: theme, objective, then a
/// table.</summary>
public static class HtmlReportWriter
{
    public static string Write(ReportModel m)
    {
        var title = m.Title;
        var sb = new StringBuilder();
        sb.Append($$"""
            <!DOCTYPE html>
            <html lang="en-GB"><head><meta charset="utf-8"><title>{{E(title)}}</title>
            <style>
            body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;margin:24px;font-size:14px}
            h1{font-size:26px}h2{font-size:20px;margin-top:28px}h3{font-size:16px}
            table{border-collapse:collapse;width:100%;margin-bottom:16px}
            th,td{border:1px solid #505a5f;padding:4px 6px;vertical-align:top;text-align:left}
            thead th{background:#dee0e2}thead{display:table-header-group}tr{page-break-inside:avoid}
            .status{font-weight:bold}.status span{display:block;font-weight:normal}
            .draft{color:#d4351c;font-weight:bold;font-size:20px;border:3px solid #d4351c;padding:4px;text-align:center;
              background:#fff}
            @media print{.draft{position:fixed;top:0;left:0;right:0;font-size:14px;padding:2px}body{margin-top:40px} }
            ul,ol{margin:0;padding-left:18px}p{margin:0 0 4px}.muted{color:#505a5f;font-style:italic}
            @page{size:A4 landscape;margin:12mm}
            </style></head><body>
            """);
        // Fixed in print, so DRAFT appears at the top of every printed page.
        if (m.Draft) sb.Append("""<p class="draft" role="note">DRAFT: assembled before every return was in</p>""");
        sb.Append($"<h1>{E(title)}</h1><p>{E(m.Council)}</p>");
        sb.Append($"<p>{E(m.Provenance)}</p>");
        WriteSummary(sb, m);
        if (m.Year is { } year) WriteYear(sb, year);
        string? theme = null;
        foreach (var group in m.Groups)
        {
            if (group.Theme != theme)
            {
                sb.Append($"<h2>{E(group.Theme)}</h2>");
                theme = group.Theme;
            }
            if (group.Objective is not null) sb.Append($"<h3>{E(group.Objective)}</h3>");
            sb.Append("<table><thead><tr>");
            foreach (var heading in m.Wording.Columns) sb.Append($"""<th scope="col">{E(heading)}</th>""");
            sb.Append("</tr></thead><tbody>");
            foreach (var row in group.Rows)
            {
                var i = row.Item;
                sb.Append($"""<tr id="{E(i.Code)}"><th scope="row">{E(i.Code)} {E(i.Title)}</th>""");
                var label = ReportModel.Label(row);
                var colours = $"background:#{ReportStyle.Fill(label)};color:#{ReportStyle.Ink(label)}";
                if (row.Excused)
                    sb.Append($"""<td class="status" style="{colours}">Excused</td><td class="muted">{E(row.ExcusedText)}</td><td></td>""");
                else if (row.Received)
                    sb.Append($"""<td class="status" style="{colours}">{E(label)}""")
                        .Append($"""<span>{ReportStyle.Direction(row.Direction)}</span></td>""")
                        .Append($"""<td>{Rich(i.Progress)}</td><td>{Rich(i.NextSteps)}</td>""");
                else
                    sb.Append($"""<td class="status" style="{colours}">No update received</td>""")
                        .Append($"""<td class="muted">No update received</td><td></td>""");
                sb.Append($"<td>{E(row.LeadOrTeam)}</td><td>{E(i.Portfolio)}</td>");
                if (m.Wording.Trend) sb.Append($"<td>{E(row.TrendText)}</td>");
                sb.Append("</tr>");
            }
            sb.Append("</tbody></table>");
        }
        sb.Append("</body></html>");
        return sb.ToString();
    }

    /// <summary>Counts by status, a row each (a theme, a quarter), under the report's status columns.</summary>
    private static void CountsTable(StringBuilder sb, string heading,
        IReadOnlyList<(string Theme, IReadOnlyDictionary<string, int> Counts)> rows)
    {
        sb.Append($"""<table><thead><tr><th scope="col">{heading}</th>""");
        foreach (var s in ReportModel.StatusColumns) sb.Append($"""<th scope="col">{s}</th>""");
        sb.Append("</tr></thead><tbody>");
        foreach (var (label, counts) in rows)
        {
            sb.Append($"""<tr><th scope="row">{E(label)}</th>""");
            foreach (var s in ReportModel.StatusColumns) sb.Append($"<td>{counts[s]}</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
    }

    private static void WriteYear(StringBuilder sb, YearInReview year)
    {
        sb.Append("<h2>The year in review</h2>");
        CountsTable(sb, "Quarter", year.ByQuarter);
        sb.Append($"<figure>{ReportChart.Svg(year.ByQuarter, "Activities by status, for each quarter of the year",
            "year")}<figcaption>Activities by status, for each quarter of the year.</figcaption></figure>");
        sb.Append("<h3>Red or Amber all year</h3>");
        if (year.StrugglingAllYear.Count == 0) sb.Append("<p>None.</p>");
        else
        {
            sb.Append("<ul>");
            foreach (var r in year.StrugglingAllYear)
                sb.Append($"""<li><a href="#{E(r.Item.Code)}">{E(r.Item.Code)} {E(r.Item.Title)}</a> """ +
                          $"({E(r.LeadOrTeam)})</li>");
            sb.Append("</ul>");
        }
    }

    private static void WriteSummary(StringBuilder sb, ReportModel m)
    {
        sb.Append("<h2>Summary</h2>");
        CountsTable(sb, "Theme", m.Summary());
        sb.Append($"<figure>{ReportChart.Svg(m)}<figcaption>Activities by status for each theme and overall.</figcaption></figure>");
        var reds = m.Rows.Where(r => r.Received && r.Item.Status == RagStatus.Red).ToList();
        sb.Append("<h3>Red activities</h3>");
        if (reds.Count == 0) sb.Append("<p>None this quarter.</p>");
        else
        {
            sb.Append("<ul>");
            foreach (var r in reds)
                sb.Append($"""<li><a href="#{E(r.Item.Code)}">{E(r.Item.Code)} {E(r.Item.Title)}</a> ({E(r.LeadOrTeam)}): """ +
                          $"""{Rich(r.Item.Progress)}<p><strong>Next steps:</strong></p>{Rich(r.Item.NextSteps)}</li>""");
            sb.Append("</ul>");
        }
    }
}
