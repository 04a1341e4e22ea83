using KaWorkflow.Register;
using KaWorkflow.Reports;
using KaWorkflow.Rounds;

namespace KaWorkflow.Tests.Reports;

[Trait("Kind", "Pure")]
public sealed class ReportTests
{
    private static readonly RoundHeader Round = new("2020-21-Q1", RoundStatus.Complete, new DateTimeOffset(2020, 7, 7,
        8, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2020, 7, 21, 16, 0, 0, TimeSpan.Zero), 1);

    private static ReturnItem Item(int order, string theme, string? objective, string code, RagStatus? prev,
        RagStatus? now, string? progress = "- done\n- more") =>
        new("a@council.example", code, order, theme, objective, "Title " + code, null, "Strategy", prev, null, null, now, progress, "Next");

    private static LeadReturn Lead(string name, ReturnStatus status, int activities) => new()
    {
        LeadKey = "a@council.example", LeadName = name, LeadEmail = "a@council.example", Status = status,
        ActivityCount = activities,
    };

    private static ReportModel Model(params ReturnItem[] items) => Model(new ReportOptions
        { CouncilName = "Harborough District Council" }, items);

    private static ReportModel Model(ReportOptions wording, params ReturnItem[] items) => ReportBuilder.Build(wording,
        Round, 1, false, Round.Deadline, [Lead("Chief Officer", ReturnStatus.Submitted, items.Length)], items);

    [Fact]
    public void The_title_year_form_and_column_headings_are_the_councils_own_words()
    {
        var wording = new ReportOptions
        {
            CouncilName = "Harborough District Council", YearForm = FinancialYearForm.Long,
            Title = "Appendix 7: Key Activity Quarterly Report, Quarter {quarter} ({year})",
            ActivityHeading = "Activities", LeadHeading = "CMT Lead / Team",
        };
        var model = Model(wording, Item(0, "T", null, "KA.01.01", null, RagStatus.Red));
        Assert.Equal("Appendix 7: Key Activity Quarterly Report, Quarter 1 (2020-2021)", model.Title);
        var html = HtmlReportWriter.Write(model);
        Assert.Contains("<h1>Appendix 7: Key Activity Quarterly Report, Quarter 1 (2020-2021)</h1>", html);
        Assert.Contains("<tr><th scope=\"col\">Activities</th><th scope=\"col\">Status</th>", html);
        Assert.Contains("<th scope=\"col\">CMT Lead / Team</th><th scope=\"col\">Portfolio</th></tr>", html);
        var text = DocxBody(model).InnerText;
        Assert.Contains("Appendix 7: Key Activity Quarterly Report, Quarter 1 (2020-2021)", text);
        Assert.Contains("ActivitiesStatusProgressNext StepsCMT Lead / TeamPortfolio", text);
        Assert.Equal("Key Activity Quarterly Report, Quarter 1 (2020-21)", new ReportOptions().TitleFor(Round.Quarter));
    }

    [Fact]
    public void The_report_says_when_it_was_assembled_in_london_time()
    {
        var summer = Model(Item(0, "T", null, "KA.01.01", null, RagStatus.Green)) with
            { AssembledAt = new DateTimeOffset(2020, 7, 22, 9, 5, 0, TimeSpan.Zero) };
        Assert.Contains("Assembled 22 July 2020 at 10:05 London time (version 1).", summer.Provenance);
        var winter = summer with { AssembledAt = new DateTimeOffset(2021, 1, 22, 9, 5, 0, TimeSpan.Zero) };
        Assert.Contains("Assembled 22 January 2021 at 09:05 London time", winter.Provenance);
        Assert.DoesNotContain("UTC", HtmlReportWriter.Write(summer));
    }

    [Fact]
    public void Activities_are_grouped_by_theme_and_objective_in_register_order_with_codes_in_natural_order()
    {
        var model = Model(
            Item(0, "THE PLACE", "CO 1", "KA.01.10", RagStatus.Green, RagStatus.Green),
            Item(1, "THE PLACE", "CO 1", "KA.01.02", RagStatus.Green, RagStatus.Green),
            Item(2, "THE PEOPLE", "CO 6", "KA.06.01", null, RagStatus.Red));
        Assert.Equal(["THE PLACE", "THE PEOPLE"], model.Groups.Select(g => g.Theme));
        Assert.Equal(["KA.01.02", "KA.01.10"], model.Groups[0].Rows.Select(r => r.Item.Code));
        var html = HtmlReportWriter.Write(model);
        Assert.True(html.IndexOf("KA.01.02", StringComparison.Ordinal) < html.IndexOf("KA.01.10", StringComparison.Ordinal));
        Assert.Contains("<th scope=\"col\">Key Activities</th><th scope=\"col\">Status</th>" +
            "<th scope=\"col\">Progress</th><th scope=\"col\">Next Steps</th><th scope=\"col\">CMT Lead</th>" +
            "<th scope=\"col\">Portfolio</th>", html);
        Assert.Contains("Key Activity Quarterly Report, Quarter 1 (2020-21)", html);
    }

    [Theory]
    [InlineData(RagStatus.Amber, RagStatus.Green, Direction.Improved)]
    [InlineData(RagStatus.Green, RagStatus.Red, Direction.Worse)]
    [InlineData(RagStatus.Green, RagStatus.Green, Direction.Unchanged)]
    [InlineData(RagStatus.Green, RagStatus.Complete, Direction.Improved)]
    [InlineData(null, RagStatus.Green, Direction.New)]
    [InlineData(RagStatus.Deferred, RagStatus.Deferred, Direction.Unchanged)]
    public void Direction_of_travel_compares_with_last_quarter(RagStatus? previous, RagStatus? now, Direction expected) =>
        Assert.Equal(expected, ReportBuilder.DirectionOf(previous, now));

    [Fact]
    public void A_leads_markup_is_shown_as_text_and_their_lists_become_lists()
    {
        var html = HtmlReportWriter.Write(Model(Item(0, "T", null, "KA.01.01", null, RagStatus.Green,
            "- <script>alert('x')</script>\n- second")));
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("<ul class=\"govuk-list govuk-list--bullet\">" +
            "<li>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</li><li>second</li></ul>", html);
    }

    [Fact]
    public void A_missing_return_says_no_update_received_and_counts_as_such()
    {
        var item = Item(0, "T", null, "KA.01.01", RagStatus.Green, null, null);
        var model = ReportBuilder.Build(new ReportOptions { CouncilName = "C" }, Round, 1, false, Round.Deadline,
            [Lead("Lead", ReturnStatus.Draft, 1)], [item]);
        Assert.Contains("No update received", HtmlReportWriter.Write(model));
        Assert.Equal(1, model.Summary().Last().Counts["No update"]);
    }

    [Fact]
    public void Status_is_shown_as_a_word_beside_its_colour()
    {
        var html = HtmlReportWriter.Write(Model(Item(0, "T", null, "KA.01.01", RagStatus.Green, RagStatus.Red)));
        Assert.Contains("<td class=\"status\" style=\"background:#D4351C;color:#FFFFFF\">Red<span>↓ worse</span></td>", html);
        Assert.Contains("<h3>Red activities</h3><ul>", html);
    }

    [Fact]
    public void The_csv_has_a_row_per_activity_and_defuses_formulas()
    {
        var csv = CsvReportWriter.Write(Model(Item(0, "T", null, "KA.01.01", null, RagStatus.Green,
            "=HYPERLINK(\"x\")"), Item(1, "T", null, "KA.01.02", null, RagStatus.Amber)));
        var rows = KaWorkflow.Register.Csv.Read(csv.TrimStart('\uFEFF'));
        Assert.Equal(3, rows.Count);
        Assert.StartsWith("'=HYPERLINK", rows[1].Fields[7]);
    }

    [Fact]
    public void An_excused_activity_says_excused_with_its_reason_in_html_docx_and_csv_alike()
    {
        var excused = Item(0, "THE PLACE", null, "KA.01.01", RagStatus.Green, null) with { ExcusedReason = "Paused by Cabinet" };
        var model = Model(excused, Item(1, "THE PLACE", null, "KA.01.02", RagStatus.Green, RagStatus.Green));
        Assert.Contains("Excused: Paused by Cabinet", HtmlReportWriter.Write(model));
        Assert.Contains("Excused: Paused by Cabinet", CsvReportWriter.Write(model));
        Assert.Contains("Excused: Paused by Cabinet", DocxBody(model).InnerText);
    }

    [Fact]
    public void The_lead_column_shows_the_team_as_the_councils_report_does_and_the_red_section_gives_lead_progress_and_next_steps()
    {
        var red = Item(0, "THE PLACE", null, "KA.01.01", RagStatus.Green, RagStatus.Red, "Contractor failed") with
            { Team = "Strategic Planning", NextSteps = "Re-tender by March" };
        var model = Model(red);
        var html = HtmlReportWriter.Write(model);
        Assert.Contains("<td>Strategic Planning</td>", html);
        Assert.DoesNotContain("Chief Officer<br>", html);
        var redSection = html[html.IndexOf("<h3>Red activities</h3>", StringComparison.Ordinal)..];
        Assert.Contains("(Strategic Planning)", redSection);
        Assert.Contains("Contractor failed", redSection);
        Assert.Contains("Re-tender by March", redSection);
        var body = DocxBody(model);
        var text = body.InnerText;
        Assert.Contains("CMT Lead / Team: Strategic Planning", text);
        Assert.Contains("Re-tender by March", text);
        // Themes flow on: no forced page break leaves a near-empty page behind.
        Assert.Empty(body.Descendants<DocumentFormat.OpenXml.Wordprocessing.PageBreakBefore>());
    }

    /// <summary>The Word report's body, read back from the file the writer makes.</summary>
    private static DocumentFormat.OpenXml.Wordprocessing.Body DocxBody(ReportModel model)
    {
        using var docx = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(
            new MemoryStream(DocxReportWriter.Write(model)), false);
        return (DocumentFormat.OpenXml.Wordprocessing.Body)docx.MainDocumentPart!.Document.Body!.CloneNode(true);
    }
}
