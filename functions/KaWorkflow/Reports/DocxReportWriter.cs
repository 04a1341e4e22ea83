using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using KaWorkflow.Register;
using KaWorkflow.Web;

namespace KaWorkflow.Reports;

/// <summary>
/// The report as a Word document in the council's layout: A4 landscape, a heading per theme and objective (so Word's
/// navigation pane lists them), one real table per group with a header row that repeats on every page, statuses as
/// word and colour, leads' lists as real lists, a native bar chart of the summary, and DRAFT in the page header when
/// it is a draft. Lead text only ever becomes Word text, never markup.
/// </summary>
public static class DocxReportWriter
{
    private const int PageWidth = 16838, PageHeight = 11906, Margin = 720; // twentieths of a point: A4 landscape, 12.7 mm margins
    private const int BulletList = 1, NumberedListBase = 2;
    private static readonly int[] ColumnWidths = [3300, 1500, 4300, 3000, 1900, 1398]; // sums to the text width

    /// <summary>With a Trend column: the same width in all.</summary>
    private static readonly int[] TrendWidths = [2800, 1300, 3600, 2600, 1600, 1198, 2300];

    public static byte[] Write(ReportModel m)
    {
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            AddStyles(main);
            var lists = new Lists(main);
            var body = new Body();
            var title = m.Title;
            doc.PackageProperties.Title = title;
            doc.PackageProperties.Creator = m.Council;

            body.Append(Para(title, "Title"));
            body.Append(Para(m.Council, "Subtitle"));
            body.Append(Para(m.Provenance + (m.Draft ? " DRAFT: assembled before every return was in." : "")));

            body.Append(Para("Summary", "Heading1"));
            body.Append(SummaryTable(m));
            body.Append(new Paragraph(new Run(ReportChart.Docx(main, m))));
            body.Append(Para("Red activities", "Heading2"));
            var reds = m.Rows.Where(r => r.Received && r.Item.Status == RagStatus.Red).ToList();
            if (reds.Count == 0) body.Append(Para("None this quarter."));
            foreach (var r in reds)
            {
                body.Append(Para($"{r.Item.Code} {r.Item.Title}", "Heading3"));
                body.Append(Para($"CMT Lead / Team: {r.LeadOrTeam}"));
                foreach (var p in lists.Text(r.Item.Progress)) body.Append(p);
                body.Append(Para("Next steps:", bold: true));
                foreach (var p in lists.Text(r.Item.NextSteps)) body.Append(p);
            }

            if (m.Year is { } year)
            {
                body.Append(Para("The year in review", "Heading1"));
                body.Append(CountsTable("Quarter", year.ByQuarter));
                body.Append(new Paragraph(new Run(ReportChart.Docx(main, year.ByQuarter, 2, "Year chart",
                    "Activities by status, for each quarter of the year; the same numbers are in the table."))));
                body.Append(Para("Red or Amber all year", "Heading2"));
                if (year.StrugglingAllYear.Count == 0) body.Append(Para("None."));
                foreach (var r in year.StrugglingAllYear)
                    body.Append(Para($"{r.Item.Code} {r.Item.Title} ({r.LeadOrTeam})"));
            }

            string? theme = null;
            foreach (var group in m.Groups)
            {
                // No forced page break: a theme's heading keeps with its table and rows never split, so pages fill
                // instead of leaving a one-row or one-item page behind.
                if (group.Theme != theme) body.Append(Para(group.Theme, "Heading1"));
                theme = group.Theme;
                if (group.Objective is not null) body.Append(Para(group.Objective, "Heading2"));
                body.Append(GroupTable(group, lists, m.Wording.Columns));
                body.Append(Para(""));
            }

            var header = main.AddNewPart<HeaderPart>();
            header.Header = new Header(m.Draft
                ? Para($"DRAFT: {title}, version {m.Version}", "DraftMark")
                : Para($"{title}, version {m.Version}", "HeaderText"));
            var footer = main.AddNewPart<FooterPart>();
            var pages = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "HeaderText" }));
            pages.Append([new Run(new Text($"{m.Council} · Page ") { Space = SpaceProcessingModeValues.Preserve }), .. Field("PAGE"),
                new Run(new Text(" of ") { Space = SpaceProcessingModeValues.Preserve }), .. Field("NUMPAGES")]);
            footer.Footer = new Footer(pages);
            body.Append(new SectionProperties(
                new HeaderReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(header) },
                new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(footer) },
                new PageSize { Width = PageWidth, Height = PageHeight, Orient = PageOrientationValues.Landscape },
                new PageMargin { Top = Margin, Bottom = Margin, Left = (uint)Margin, Right = (uint)Margin, Header = 360, Footer = 360 }));
            main.Document = new Document(body);
            lists.Save();
        }
        return stream.ToArray();
    }

    private static Table SummaryTable(ReportModel m) => CountsTable("Theme", m.Summary());

    private static Table CountsTable(string heading,
        IReadOnlyList<(string Theme, IReadOnlyDictionary<string, int> Counts)> rows)
    {
        var statusWidth = (PageWidth - 2 * Margin - 4000) / ReportModel.StatusColumns.Length;
        var widths = new[] { 4000 }.Concat(ReportModel.StatusColumns.Select(_ => statusWidth)).ToArray();
        var table = NewTable(widths);
        table.Append(HeaderRow([heading, .. ReportModel.StatusColumns], widths));
        foreach (var (theme, counts) in rows)
        {
            var row = new TableRow(new TableRowProperties(new CantSplit()));
            row.Append(Cell(widths[0], [Para(theme, "TableText", bold: theme == "All themes")]));
            for (var i = 0; i < ReportModel.StatusColumns.Length; i++)
            {
                var count = counts[ReportModel.StatusColumns[i]].ToString(CultureInfo.InvariantCulture);
                row.Append(Cell(widths[i + 1], [Para(count, "TableText")]));
            }
            table.Append(row);
        }
        return table;
    }

    private static Table GroupTable(ReportGroup group, Lists lists, IReadOnlyList<string> headings)
    {
        var widths = headings.Count == TrendWidths.Length ? TrendWidths : ColumnWidths;
        var table = NewTable(widths);
        table.Append(HeaderRow(headings, widths));
        foreach (var row in group.Rows)
        {
            var i = row.Item;
            var label = ReportModel.Label(row);
            var tr = new TableRow(new TableRowProperties(new CantSplit()));
            tr.Append(Cell(widths[0], [Para($"{i.Code} {i.Title}", "TableText", bold: true)]));
            var statusText = row.Excused ? "Excused" : row.Received ? label : "No update received";
            var status = new List<OpenXmlElement> { Para(statusText, "TableText", bold: true, colour: ReportStyle.Ink(label)) };
            if (row.Received) status.Add(Para(ReportStyle.Direction(row.Direction), "TableText", colour: ReportStyle.Ink(label)));
            tr.Append(Cell(widths[1], status, ReportStyle.Fill(label)));
            tr.Append(Cell(widths[2], row.Received ? lists.Text(i.Progress)
                : [Para(row.Excused ? row.ExcusedText : "No update received", "TableText")]));
            tr.Append(Cell(widths[3], row.Received ? lists.Text(i.NextSteps) : [Para("", "TableText")]));
            tr.Append(Cell(widths[4], [Para(row.LeadOrTeam, "TableText")]));
            tr.Append(Cell(widths[5], [Para(i.Portfolio ?? "", "TableText")]));
            if (widths.Length == TrendWidths.Length) tr.Append(Cell(widths[6], [Para(row.TrendText, "TableText")]));
            table.Append(tr);
        }
        return table;
    }

    private static Table NewTable(int[] widths)
    {
        var table = new Table(new TableProperties(
            new TableWidth { Width = widths.Sum().ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
            new TableBorders(Border<TopBorder>(), Border<LeftBorder>(), Border<BottomBorder>(), Border<RightBorder>(),
                Border<InsideHorizontalBorder>(), Border<InsideVerticalBorder>()),
            new TableLayout { Type = TableLayoutValues.Fixed }, // the schema fixes the order of these properties
            new TableCellMarginDefault(
                new TopMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                new TableCellLeftMargin { Width = 80, Type = TableWidthValues.Dxa },
                new BottomMargin { Width = "40", Type = TableWidthUnitValues.Dxa },
                new TableCellRightMargin { Width = 80, Type = TableWidthValues.Dxa })));
        table.Append(new TableGrid(widths.Select(w => new GridColumn { Width = w.ToString(CultureInfo.InvariantCulture) })));
        return table;
    }

    /// <summary>The header row: repeated at the top of every page the table runs onto.</summary>
    private static TableRow HeaderRow(IReadOnlyList<string> titles, int[] widths)
    {
        var row = new TableRow(new TableRowProperties(new TableHeader(), new CantSplit()));
        for (var c = 0; c < titles.Count; c++) row.Append(Cell(widths[c], [Para(titles[c], "TableText", bold: true)], "DEE0E2"));
        return row;
    }

    /// <summary>A table border in the report's grey, half a point wide.</summary>
    private static T Border<T>() where T : BorderType, new() =>
        new() { Val = BorderValues.Single, Size = 4, Color = "505A5F" };

    private static TableCell Cell(int width, IEnumerable<OpenXmlElement> content, string? fill = null)
    {
        var props = new TableCellProperties(new TableCellWidth
        {
            Width = width.ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa,
        });
        if (fill is not null) props.Append(new Shading { Val = ShadingPatternValues.Clear, Color = "auto", Fill = fill });
        var cell = new TableCell(props);
        cell.Append(content);
        if (!cell.Elements<Paragraph>().Any()) cell.Append(new Paragraph()); // a cell must end with a paragraph
        return cell;
    }

    private static Paragraph Para(string text, string? style = null, bool bold = false, string? colour = null, bool pageBreakBefore = false)
    {
        var props = new ParagraphProperties();
        if (style is not null) props.Append(new ParagraphStyleId { Val = style });
        if (pageBreakBefore) props.Append(new PageBreakBefore());
        var p = new Paragraph(props);
        if (text.Length > 0) p.Append(TextRun(text, bold, colour));
        return p;
    }

    private static Run TextRun(string text, bool bold = false, string? colour = null)
    {
        var props = new RunProperties();
        if (bold) props.Append(new Bold());
        if (colour is not null) props.Append(new Color { Val = colour });
        return new Run(props, new Text(XmlSafe(text)) { Space = SpaceProcessingModeValues.Preserve });
    }

    private static Run[] Field(string code) =>
    [
        new(new FieldChar { FieldCharType = FieldCharValues.Begin }),
        new(new FieldCode($" {code} ") { Space = SpaceProcessingModeValues.Preserve }),
        new(new FieldChar { FieldCharType = FieldCharValues.Separate }),
        new(new Text("1")),
        new(new FieldChar { FieldCharType = FieldCharValues.End }),
    ];

    /// <summary>Removes characters XML cannot hold (a stray control character pasted into the form would otherwise
    /// break the file).</summary>
    public static string XmlSafe(string text)
    {
        if (text.All(XmlConvertOk)) return text;
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) if (XmlConvertOk(c)) sb.Append(c);
        return sb.ToString();
    }

    private static bool XmlConvertOk(char c) => c is '\t' or '\n' or '\r' || c >= ' ' && c != '\uFFFE' && c != '\uFFFF';

    /// <summary>Leads' text as Word paragraphs: lines starting "- ", "* " or "1. " become real list items.</summary>
    private sealed class Lists(MainDocumentPart main)
    {
        private int _nextNumbered = NumberedListBase;

        public List<OpenXmlElement> Text(string? text)
        {
            var result = new List<OpenXmlElement>();
            if (string.IsNullOrWhiteSpace(text)) return [Para("", "TableText")];
            string? open = null;
            var num = 0;
            foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0) { open = null; continue; }
                var (kind, content) = LeadText.ListItem(line);
                if (kind is null) { open = null; result.Add(Para(line, "TableText")); continue; }
                if (kind != open) num = kind == "ul" ? BulletList : _nextNumbered++; // each numbered list starts again at 1
                open = kind;
                var p = Para(content, "TableText");
                p.ParagraphProperties!.Append(
                    new NumberingProperties(new NumberingLevelReference { Val = 0 }, new NumberingId { Val = num }));
                result.Add(p);
            }
            return result.Count > 0 ? result : [Para("", "TableText")];
        }

        public void Save()
        {
            var part = main.AddNewPart<NumberingDefinitionsPart>();
            var numbering = new Numbering(
                AbstractList(0, NumberFormatValues.Bullet, "•"),
                AbstractList(1, NumberFormatValues.Decimal, "%1."));
            numbering.Append(new NumberingInstance(new AbstractNumId { Val = 0 }) { NumberID = BulletList });
            for (var n = NumberedListBase; n < _nextNumbered; n++)
                numbering.Append(new NumberingInstance(new AbstractNumId { Val = 1 },
                    new LevelOverride(new StartOverrideNumberingValue { Val = 1 }) { LevelIndex = 0 }) { NumberID = n });
            part.Numbering = numbering;
        }

        private static AbstractNum AbstractList(int id, NumberFormatValues format, string text) => new(
            new MultiLevelType { Val = MultiLevelValues.SingleLevel },
            new Level(new StartNumberingValue { Val = 1 }, new NumberingFormat { Val = format }, new LevelText { Val = text },
                new LevelJustification { Val = LevelJustificationValues.Left },
                new PreviousParagraphProperties(new Indentation { Left = "284", Hanging = "227" })) { LevelIndex = 0 })
        { AbstractNumberId = id };
    }

    private static void AddStyles(MainDocumentPart main)
    {
        var part = main.AddNewPart<StyleDefinitionsPart>();
        static Style Paragraph(string id, string name, int halfPoints, bool bold = false, int? outline = null,
            string? colour = null, int after = 120)
        {
            // Children in the order the schema requires (the validator checks it).
            var pp = new StyleParagraphProperties();
            if (outline is not null) pp.Append(new KeepNext());
            pp.Append(new SpacingBetweenLines
            {
                After = after.ToString(CultureInfo.InvariantCulture), Before = outline is null ? "0" : "240",
            });
            if (outline is { } level) pp.Append(new OutlineLevel { Val = level });
            var rp = new StyleRunProperties(new RunFonts { Ascii = "Arial", HighAnsi = "Arial", ComplexScript = "Arial" });
            if (bold) rp.Append(new Bold());
            if (colour is not null) rp.Append(new Color { Val = colour });
            rp.Append(new FontSize { Val = halfPoints.ToString(CultureInfo.InvariantCulture) });
            return new Style(new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new PrimaryStyle(), pp, rp)
            { Type = StyleValues.Paragraph, StyleId = id };
        }
        var normal = new Style(new StyleName { Val = "Normal" }, new PrimaryStyle(),
            new StyleParagraphProperties(new SpacingBetweenLines { After = "80" }),
            new StyleRunProperties(new RunFonts { Ascii = "Arial", HighAnsi = "Arial", ComplexScript = "Arial" },
                new FontSize { Val = "20" }, new Languages { Val = "en-GB" }))
        { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true };
        part.Styles = new Styles(normal,
            Paragraph("Title", "Title", 44, bold: true, outline: null, after: 120),
            Paragraph("Subtitle", "Subtitle", 28),
            Paragraph("Heading1", "heading 1", 32, bold: true, outline: 0),
            Paragraph("Heading2", "heading 2", 26, bold: true, outline: 1),
            Paragraph("Heading3", "heading 3", 22, bold: true, outline: 2),
            Paragraph("TableText", "Table Text", 18, after: 40),
            Paragraph("HeaderText", "Header Text", 16, colour: "505A5F", after: 0),
            Paragraph("DraftMark", "Draft Mark", 28, bold: true, colour: "D4351C", after: 0));
    }
}
