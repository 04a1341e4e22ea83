using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.History;

/// <summary>Two quarters answered through the forms, then read back as the performance team and a lead see them: the
/// activities page's trend and filters, an activity's own page, the history download, the form's line.</summary>
public sealed class HistoryPagesTests
{
    private const string Q1 = "2020-21-Q1", Q2 = "2020-21-Q2";

    /// <summary>Q1 and Q2: the chief executive's activities Red then Amber, finance's Green then Amber, the rest
    /// Green; governance has not answered Q2 yet.</summary>
    private static async Task<TestApp> TwoQuartersAsync()
    {
        var app = await TestApp.WithOpenRoundAsync();
        foreach (var lead in SampleLeads.All)
            await app.SubmitAllAsync(lead, $"Q1 from {lead}", Q1, lead == SampleLeads.Chief ? "Red" : "Green");
        await app.RunUntilAsync(app.Clock.GetUtcNow().AddHours(2));
        Assert.True(await app.Services.GetRequiredService<RoundEngine>().OpenAsync(new Quarter(2020, 2), "test"));
        await app.RunUntilAsync(app.Clock.GetUtcNow().AddMinutes(10));
        foreach (var lead in SampleLeads.All.Where(l => l != SampleLeads.Governance))
            await app.SubmitAllAsync(lead, $"=Q2 from {lead}", Q2,
                lead is SampleLeads.Chief or SampleLeads.Finance ? "Amber" : "Green");
        return app;
    }

    private static async Task<string> PageAsync(TestApp app, string path) => await (await app.Http.SendAsync(
        app.AsPerformanceTeam(HttpMethod.Get, path))).Content.ReadAsStringAsync();

    private static async Task<List<string>> CodesOfAsync(TestApp app, string lead) =>
        (await app.Services.GetRequiredService<RoundStore>().LoadItemsAsync(Q2))
        .Where(i => i.LeadKey == lead).Select(i => i.Code).ToList();

    [Fact]
    public async Task The_activities_page_shows_each_trend_in_words_and_filters_the_struggling_and_the_improved()
    {
        await using var app = await TwoQuartersAsync();
        var chief = await CodesOfAsync(app, SampleLeads.Chief);
        var finance = await CodesOfAsync(app, SampleLeads.Finance);

        var all = await PageAsync(app, $"/api/dashboard/rounds/{Q2}/activities");
        Assert.Contains("govuk-tag--red\">Q1 20-21 Red</strong>", all);
        Assert.Contains("govuk-tag--yellow\">Q2 20-21 Amber</strong>", all);
        var struggling = await PageAsync(app, $"/api/dashboard/rounds/{Q2}/activities?show=struggling");
        Assert.All(chief, code => Assert.Contains($">{code}</a>", struggling));
        Assert.All(finance, code => Assert.DoesNotContain($">{code}</a>", struggling)); // Amber for one quarter only
        var improved = await PageAsync(app, $"/api/dashboard/rounds/{Q2}/activities?show=improved");
        Assert.All(chief, code => Assert.Contains($">{code}</a>", improved));
        Assert.Contains($"Improved since last quarter: {chief.Count}", improved);
    }

    [Fact]
    public async Task An_activitys_page_gives_every_quarters_answer_and_the_download_every_row_defused()
    {
        await using var app = await TwoQuartersAsync();
        var code = (await CodesOfAsync(app, SampleLeads.Chief))[0];

        var page = await PageAsync(app, $"/api/dashboard/activities/{code}");
        Assert.Contains("Quarter 2 (2020-21)", page);
        Assert.Contains("Quarter 1 (2020-21)", page);
        Assert.Contains($"Q1 from {SampleLeads.Chief}", page);
        Assert.Contains($"=Q2 from {SampleLeads.Chief}", page);

        using var download = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/dashboard/history"));
        var day = KaWorkflow.Reminders.WorkingCalendar.LocalDate(app.Clock.GetUtcNow());
        Assert.Equal($"history-{day:yyyy-MM-dd}.csv", download.Content.Headers.ContentDisposition?.FileName);
        var csv = await download.Content.ReadAsStringAsync();
        Assert.Contains($"{Q2},{code},", csv);
        Assert.Contains($",'=Q2 from {SampleLeads.Chief},", csv);
        Assert.DoesNotContain($"{Q2},{(await CodesOfAsync(app, SampleLeads.Governance))[0]},", csv); // still in hand
    }

    [Fact]
    public async Task In_a_browser_the_trend_reads_in_words_the_filters_work_and_the_pages_are_accessible()
    {
        await using var app = await TwoQuartersAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl, phone: false);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/api/dashboard/rounds/{Q2}/activities"); // signed in on the way, as the team is
        await Browser.AssertAccessibleAsync(page);
        await page.ClickAsync("a:has-text('Red or Amber for two quarters or more')");
        await page.WaitForSelectorAsync("caption:has-text('Red or Amber for two quarters or more')");
        Assert.Contains("Q1 20-21 Red", await page.InnerTextAsync("tbody"));
        await Browser.ScreenshotAsync(page, "history-1-struggling");
        await page.ClickAsync("tbody a >> nth=0");
        await page.WaitForSelectorAsync("h2:has-text('Quarter 1 (2020-21)')");
        await Browser.AssertAccessibleAsync(page);
        await Browser.ScreenshotAsync(page, "history-2-activity");
    }

    [Fact]
    public async Task A_report_with_the_trend_column_gives_each_activitys_last_quarters_in_all_three_formats()
    {
        await using var app = await TwoQuartersAsync();
        var code = (await CodesOfAsync(app, SampleLeads.Chief))[0];
        var services = app.Services;
        var reports = services.GetRequiredService<KaWorkflow.Reports.ReportStore>();
        var assembler = new KaWorkflow.Reports.ReportAssembler(services.GetRequiredService<RoundStore>(), reports,
            new KaWorkflow.Reports.ReportOptions { CouncilName = "Council", Trend = true },
            services.GetRequiredService<KaWorkflow.History.HistoryStore>(), app.Clock);
        await assembler.AssembleAsync(Q2, 9, draft: true);
        async Task<string> FileAsync(string name) => name.EndsWith(".docx")
            ? DocumentXml((await reports.DownloadAsync(KaWorkflow.Reports.ReportAssembler.BlobName(Q2, 9, name)))!
                .Content.ToArray())
            : (await reports.DownloadAsync(KaWorkflow.Reports.ReportAssembler.BlobName(Q2, 9, name)))!.Content
                .ToString();

        const string trend = "Q1 20-21 Red, Q2 20-21 Amber";
        var html = await FileAsync("report.html");
        Assert.Contains("<th scope=\"col\">Trend</th>", html);
        Assert.Contains($"<td>{trend}</td></tr>", html);
        var csv = (await FileAsync("report.csv")).Split("\r\n");
        Assert.EndsWith(",Previous status,Trend", csv[0]);
        Assert.EndsWith($",\"{trend}\"", csv.Single(l => l.Contains($",{code},")));
        Assert.Contains(trend, await FileAsync("report.docx"));

        // Off, as by default, the council's own columns only.
        var plain = await services.GetRequiredService<KaWorkflow.Reports.ReportAssembler>().AssembleAsync(Q2, 10, true);
        Assert.DoesNotContain("Trend", plain.Wording.Columns);
        Assert.All(plain.Rows, r => Assert.Null(r.Trend));
    }

    [Fact]
    public async Task The_q4_report_looks_back_over_the_year_in_all_three_formats()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        string[] chief = ["Red", "Amber", "Red", "Amber"]; // behind plan all year
        string[] finance = ["Amber", "Amber", "Green", "Amber"]; // not all year
        for (var n = 1; n <= 4; n++)
        {
            var roundId = new Quarter(2020, n).RoundId;
            if (n > 1)
            {
                var engine = app.Services.GetRequiredService<RoundEngine>();
                Assert.True(await engine.OpenAsync(new Quarter(2020, n), "test"));
                await app.RunUntilAsync(app.Clock.GetUtcNow().AddMinutes(10));
            }
            foreach (var lead in SampleLeads.All)
                await app.SubmitAllAsync(lead, $"Q{n} from {lead}", roundId, lead switch
                {
                    SampleLeads.Chief => chief[n - 1], SampleLeads.Finance => finance[n - 1], _ => "Green",
                });
            await app.RunUntilAsync(app.Clock.GetUtcNow().AddHours(2)); // complete: its report is assembled
        }
        var reports = app.Services.GetRequiredService<KaWorkflow.Reports.ReportStore>();
        async Task<byte[]> FileAsync(string name) => (await reports.DownloadAsync(
            KaWorkflow.Reports.ReportAssembler.BlobName("2020-21-Q4", 1, name)))!.Content.ToArray();
        var chiefCodes = (await app.Services.GetRequiredService<RoundStore>().LoadItemsAsync("2020-21-Q4"))
            .Where(i => i.LeadKey == SampleLeads.Chief).Select(i => i.Code).ToList();

        var html = System.Text.Encoding.UTF8.GetString(await FileAsync("report.html"));
        Assert.Contains("<h2>The year in review</h2>", html);
        Assert.Contains("<tr><th scope=\"row\">Quarter 1 (2020-21)</th>", html);
        Assert.Contains("aria-labelledby=\"year-title year-desc\"", html);
        var allYear = html[html.IndexOf("<h3>Red or Amber all year</h3>", StringComparison.Ordinal)..];
        allYear = allYear[..allYear.IndexOf("</ul>", StringComparison.Ordinal)];
        Assert.Equal(chiefCodes.Order(), System.Text.RegularExpressions.Regex.Matches(allYear, "href=\"#([^\"]+)\"")
            .Select(m => m.Groups[1].Value).Order());
        var docx = DocumentXml(await FileAsync("report.docx"));
        Assert.Contains("The year in review", docx);
        Assert.Contains("name=\"Year chart\"", docx);
        var csv = System.Text.Encoding.UTF8.GetString(await FileAsync("report.csv")).Split("\r\n");
        Assert.EndsWith(",Red or Amber all year", csv[0]);
        Assert.Equal(chiefCodes.Count, csv.Count(l => l.EndsWith(",Yes")));

        await using (var context = await Browser.NewContextAsync(app.BaseUrl, phone: false))
        {
            var page = await context.NewPageAsync();
            await page.SetContentAsync(html);
            await page.Locator("h2:has-text('The year in review')").ScrollIntoViewIfNeededAsync();
            await Browser.ScreenshotAsync(page, "report-q4-year-in-review");
            await Browser.AssertAccessibleAsync(page);
        }

        // Another quarter's report has none of it.
        var q3 = System.Text.Encoding.UTF8.GetString((await reports.DownloadAsync(
            KaWorkflow.Reports.ReportAssembler.BlobName("2020-21-Q3", 1, "report.html")))!.Content.ToArray());
        Assert.DoesNotContain("The year in review", q3);
    }

    private static string DocumentXml(byte[] docx)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(docx));
        using var reader = new StreamReader(zip.GetEntry("word/document.xml")!.Open());
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task The_history_is_for_the_performance_team_only()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var anonymous = await app.Http.GetAsync("/api/dashboard/history");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_leads_form_shows_each_activitys_earlier_quarters_in_one_line()
    {
        await using var app = await TwoQuartersAsync();
        var form = await (await app.Http.GetAsync(await app.LinkForAsync(SampleLeads.Governance)))
            .Content.ReadAsStringAsync();
        Assert.Contains("Earlier quarters: <span class=\"ka-trend\"><strong class=\"govuk-tag govuk-tag--green\">" +
                        "Q1 20-21 Green</strong>", form);
    }
}
