using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using W = DocumentFormat.OpenXml.Wordprocessing;
using static KaWorkflow.Web.Html;

namespace KaWorkflow.Reports;

/// <summary>
/// The summary as a bar chart: one stacked bar per theme and overall, a segment per status. SVG for the HTML report
/// (with the summary table as its text equivalent) and a native Word chart for the DOCX, from the same numbers.
/// </summary>
public static class ReportChart
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Counts by status, one bar a row (a theme, a quarter).</summary>
    public static string Svg(ReportModel m) => Svg(m.Summary(), "Activities by status, for each theme and overall",
        "summary");

    public static string Svg(IReadOnlyList<(string Theme, IReadOnlyDictionary<string, int> Counts)> rows,
        string title, string id)
    {
        const int label = 260, bar = 560, rowHeight = 34, top = 40;
        var max = Math.Max(1, rows.Max(r => r.Counts.Values.Sum()));
        var height = top + rows.Count * rowHeight + 10;
        var sb = new StringBuilder("""<svg xmlns="http://www.w3.org/2000/svg" role="img" """)
            .Append($"""aria-labelledby="{id}-title """)
            .Append($"""{id}-desc" width="{label + bar + 40}" height="{height}" viewBox="0 """)
            .Append($"""0 {label + bar + 40} {height}" font-family="Arial, sans-serif" font-size="13">""");
        sb.Append($"""<title id="{id}-title">{E(title)}</title>""")
            .Append($"""<desc id="{id}-desc">The same numbers are in the table above.</desc>""");
        var x = label;
        foreach (var status in ReportModel.StatusColumns)
        {
            sb.Append($"""<rect x="{x}" y="8" width="12" height="12" fill="#{ReportStyle.Fill(status)}" """)
                .Append($"""stroke="#0b0c0c"/><text x="{x + 16}" y="19">{E(status)}</text>""");
            x += 16 + status.Length * 7 + 14;
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var (theme, counts) = rows[i];
            var y = top + i * rowHeight;
            var name = theme.Length > 38 ? theme[..36] + "…" : theme;
            sb.Append($"""<text x="0" y="{y + 18}">{E(name)}</text>""");
            double at = label;
            foreach (var status in ReportModel.StatusColumns)
            {
                var n = counts[status];
                if (n == 0) continue;
                var w = (double)n / max * bar;
                sb.Append($"""<rect x="{at.ToString("F1", Inv)}" y="{y}" width="{w.ToString("F1", Inv)}" """)
                    .Append($"""height="24" fill="#{ReportStyle.Fill(status)}" stroke="#fff">""")
                    .Append($"""<title>{E(theme)}: {n} {E(status)}</title></rect>""");
                if (w >= 18) sb.Append($"""<text x="{(at + w / 2).ToString("F1", Inv)}" y="{y + 17}" text-anchor="middle" """)
                    .Append($"""fill="#{ReportStyle.Ink(status)}">{n}</text>""");
                at += w;
            }
        }
        return sb.Append("</svg>").ToString();
    }

    /// <summary>Adds a native bar chart part to the document and returns the drawing that shows it (16 cm by 7
    /// cm).</summary>
    public static W.Drawing Docx(MainDocumentPart main, ReportModel m) => Docx(main, m.Summary(), 1, "Summary chart",
        "Activities by status, for each theme and overall; the same numbers are in the summary table.");

    /// <param name="drawingId">Unique among the document's drawings.</param>
    public static W.Drawing Docx(MainDocumentPart main,
        IReadOnlyList<(string Theme, IReadOnlyDictionary<string, int> Counts)> rows, int drawingId, string name,
        string description)
    {
        var chart = main.AddNewPart<ChartPart>();
        using (var stream = chart.GetStream(FileMode.Create))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            writer.Write(ChartXml(rows));
        var id = main.GetIdOfPart(chart);
        const long cx = 16L * 360000, cy = 7L * 360000; // EMUs
        return new W.Drawing($"""
            <w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
                xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
                xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
                xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"
                xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
              <wp:inline distT="0" distB="0" distL="0" distR="0">
                <wp:extent cx="{cx}" cy="{cy}"/>
                <wp:docPr id="{drawingId}" name="{E(name)}" descr="{E(description)}"/>
                <a:graphic><a:graphicData uri=
                    "http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart r:id="{id}"/></a:graphicData></a:graphic>
              </wp:inline>
            </w:drawing>
            """);
    }

    private static string ChartXml(IReadOnlyList<(string Theme, IReadOnlyDictionary<string, int> Counts)> rows)
    {
        var sb = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""")
            .Append("""<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" """)
            .Append("""xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" """)
            .Append("""xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">""")
            .Append("""<c:roundedCorners val="0"/><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/>""")
            .Append("""<c:barChart><c:barDir val="bar"/><c:grouping val="stacked"/><c:varyColors val="0"/>""");
        var statuses = ReportModel.StatusColumns;
        for (var s = 0; s < statuses.Length; s++)
        {
            sb.Append($"""<c:ser><c:idx val="{s}"/><c:order val="{s}"/><c:tx><c:v>{E(statuses[s])}</c:v></c:tx>""")
                .Append($"""<c:spPr><a:solidFill><a:srgbClr val="{ReportStyle.Fill(statuses[s])}"/></a:solidFill>""")
                .Append($"""<a:ln><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:ln></c:spPr>""")
                .Append($"""<c:invertIfNegative val="0"/>""");
            sb.Append($"""<c:cat><c:strLit><c:ptCount val="{rows.Count}"/>""");
            for (var i = 0; i < rows.Count; i++) sb.Append($"""<c:pt idx="{i}"><c:v>{E(rows[i].Theme)}</c:v></c:pt>""");
            sb.Append($"""</c:strLit></c:cat><c:val><c:numLit><c:formatCode>General</c:formatCode><c:ptCount val="{rows.Count}"/>""");
            for (var i = 0; i < rows.Count; i++)
                sb.Append($"""<c:pt idx="{i}"><c:v>{rows[i].Counts[statuses[s]].ToString(Inv)}</c:v></c:pt>""");
            sb.Append("</c:numLit></c:val></c:ser>");
        }
        sb.Append("""<c:gapWidth val="60"/><c:overlap val="100"/><c:axId val="500"/><c:axId val="501"/></c:barChart>""");
        sb.Append("""<c:catAx><c:axId val="500"/><c:scaling><c:orientation val="maxMin"/></c:scaling>""")
            .Append("""<c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/>""")
            .Append("""<c:tickLblPos val="nextTo"/><c:crossAx val="501"/><c:crosses val="autoZero"/>""")
            .Append("""<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/>""")
            .Append("""</c:catAx>""");
        sb.Append("""<c:valAx><c:axId val="501"/><c:scaling><c:orientation val="minMax"/></c:scaling>""")
            .Append("""<c:delete val="0"/><c:axPos val="b"/><c:majorGridlines/>""")
            .Append("""<c:numFmt formatCode="0" sourceLinked="0"/><c:tickLblPos val="nextTo"/>""")
            .Append("""<c:crossAx val="500"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>""");
        sb.Append("""</c:plotArea><c:legend><c:legendPos val="t"/><c:overlay val="0"/></c:legend>""")
            .Append("""<c:plotVisOnly val="1"/></c:chart></c:chartSpace>""");
        return sb.ToString();
    }
}
