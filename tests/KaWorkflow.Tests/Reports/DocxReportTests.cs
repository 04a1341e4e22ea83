using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using KaWorkflow.Reports;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Reports;

/// <summary>The Word report: valid Open XML, the council's layout, and what LibreOffice makes of it.</summary>
public sealed class DocxReportTests
{
    private static WordprocessingDocument Open(byte[] bytes) => WordprocessingDocument.Open(new MemoryStream(bytes), false);

    [Fact]
    public void The_document_passes_the_Open_XML_validator_with_no_errors()
    {
        using var doc = Open(DocxReportWriter.Write(SampleReport.Build(draft: true)));
        var errors = new OpenXmlValidator().Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void It_is_A4_landscape_with_headings_for_the_navigation_pane_and_header_rows_that_repeat()
    {
        using var doc = Open(DocxReportWriter.Write(SampleReport.Build()));
        var body = doc.MainDocumentPart!.Document.Body!;
        var page = body.Elements<SectionProperties>().Single().GetFirstChild<PageSize>()!;
        Assert.Equal((16838u, 11906u, PageOrientationValues.Landscape), (page.Width!.Value, page.Height!.Value, page.Orient!.Value));
        var headings = body.Elements<Paragraph>().Where(p
            => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading1").Select(p => p.InnerText).ToList();
        Assert.Equal(["Summary", .. SampleReport.Build().Groups.Select(g => g.Theme).Distinct()], headings);
        var styles = doc.MainDocumentPart.StyleDefinitionsPart!.Styles!;
        Assert.NotNull(styles.Elements<Style>().Single(s => s.StyleId == "Heading1").StyleParagraphProperties!.OutlineLevel);
        var tables = body.Elements<Table>().Skip(1).ToList(); // after the summary
        Assert.All(tables, t => Assert.NotNull(t.Elements<TableRow>().First().TableRowProperties!.GetFirstChild<TableHeader>()));
        Assert.Equal(["Key Activities", "Status", "Progress", "Next Steps", "CMT Lead", "Portfolio"],
            tables[0].Elements<TableRow>().First().Elements<TableCell>().Select(c => c.InnerText));
        Assert.NotNull(doc.MainDocumentPart.ChartParts.SingleOrDefault());
    }

    [Fact]
    public void Every_activity_appears_once_in_order_with_its_status_word_and_lead_markup_as_plain_text()
    {
        var model = SampleReport.Build();
        using var doc = Open(DocxReportWriter.Write(model));
        var rows = doc.MainDocumentPart!.Document.Body!.Elements<Table>().Skip(1).SelectMany(t => t.Elements<TableRow>().Skip(1)).ToList();
        Assert.Equal(model.Rows.Select(r => $"{r.Item.Code} {r.Item.Title}"), rows.Select(r => r.Elements<TableCell>().First().InnerText));
        foreach (var (row, expected) in rows.Zip(model.Rows))
        {
            var status = row.Elements<TableCell>().ElementAt(1).InnerText;
            Assert.StartsWith(expected.Excused ? "Excused" : expected.Received ? expected.Item.Status.ToString()!
                : "No update received", status);
        }
        var first = rows[0].Elements<TableCell>().ElementAt(2);
        Assert.Contains(SampleReport.Script, first.InnerText);
        Assert.Equal(2, first.Elements<Paragraph>().Count(p => p.ParagraphProperties?.NumberingProperties is not null)); // a real list
        Assert.DoesNotContain(doc.MainDocumentPart.Document.Descendants(), e => e.LocalName == "script");
    }

    [Fact]
    public void A_draft_says_DRAFT_in_its_page_header()
    {
        using var doc = Open(DocxReportWriter.Write(SampleReport.Build(draft: true)));
        Assert.StartsWith("DRAFT", doc.MainDocumentPart!.HeaderParts.Single().Header!.InnerText);
        using var final = Open(DocxReportWriter.Write(SampleReport.Build()));
        Assert.DoesNotContain("DRAFT", final.MainDocumentPart!.HeaderParts.Single().Header!.InnerText);
    }

    [Fact]
    public async Task LibreOffice_opens_it_and_every_page_of_a_draft_says_DRAFT()
    {
        var dir = Directory.CreateDirectory(Path.Combine(RepoRoot.Path, "TestResults", "report")).FullName;
        var model = SampleReport.Build(draft: true);
        var docx = Path.Combine(dir, "report-draft.docx");
        await File.WriteAllBytesAsync(docx, DocxReportWriter.Write(model));

        var profile = Path.Combine(Path.GetTempPath(), "ka-lo-" + Guid.NewGuid().ToString("N")[..8]);
        await ExternalTool.RunAsync("soffice", $"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
            "pdf", "--outdir", dir, docx);
        var pdf = Path.ChangeExtension(docx, ".pdf");
        var pages = int.Parse(Regex.Match(await ExternalTool.RunAsync("pdfinfo", pdf), @"Pages:\s+(\d+)").Groups[1].Value);
        Assert.InRange(pages, 5, 40); // a title and summary page, then each theme from a new page

        var text = await ExternalTool.RunAsync("pdftotext", "-layout", pdf, "-");
        var pageTexts = text.Split('\f').Where(t => t.Trim().Length > 0).ToList();
        Assert.Equal(pages, pageTexts.Count);
        Assert.All(pageTexts, t => Assert.Contains("DRAFT", t));
        var at = text.IndexOf("Key Activities", StringComparison.Ordinal); // the first activity table, after the summary
        foreach (var row in model.Rows)
        {
            at = text.IndexOf(row.Item.Code + " ", at + 1, StringComparison.Ordinal);
            Assert.True(at >= 0, $"{row.Item.Code} is missing or out of order");
        }
        Assert.Contains("alert('x')", text);
        await ExternalTool.RunAsync("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", pdf, Path.Combine(dir,
            "report-draft-page")); // for a person to look at
        Directory.Delete(profile, recursive: true);
    }

    [Fact]
    public void Characters_XML_cannot_hold_are_dropped_and_the_rest_kept() =>
        Assert.Equal("Bell and\ttab\nline", DocxReportWriter.XmlSafe("Bell\u0007 and\ttab\nline"));
}
