using KaWorkflow.Reports;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Reports;

/// <summary>The HTML report as councillors open it: in Chromium, checked by axe-core, and printed to A4 landscape.</summary>
public sealed class HtmlReportBrowserTests
{
    [Fact]
    public async Task The_html_report_has_no_accessibility_violations_and_prints_DRAFT_on_every_page()
    {
        var html = HtmlReportWriter.Write(SampleReport.Build(draft: true));
        await using var context = await Browser.NewContextAsync("http://127.0.0.1", phone: false);
        var page = await context.NewPageAsync();
        await page.SetContentAsync(html);
        Assert.Equal(0, await page.Locator("script").CountAsync()); // the lead's <script> stayed text
        Assert.Contains(SampleReport.Script, await page.InnerTextAsync("body"));
        await Browser.ScreenshotAsync(page, "report-html");
        await Browser.AssertAccessibleAsync(page);

        var pdf = Path.Combine(RepoRoot.Path, "TestResults", "report", "report-html-print.pdf");
        Directory.CreateDirectory(Path.GetDirectoryName(pdf)!);
        await page.PdfAsync(new() { Path = pdf, Format = "A4", Landscape = true });
        var text = await ExternalTool.RunAsync("pdftotext", pdf, "-");
        var pages = text.Split('\f').Where(t => t.Trim().Length > 0).ToList();
        Assert.True(pages.Count > 3);
        Assert.All(pages, t => Assert.Contains("DRAFT", t));
    }
}
