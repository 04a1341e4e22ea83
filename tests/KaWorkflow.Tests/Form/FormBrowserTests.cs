using System.Net;
using KaWorkflow.Demo;
using KaWorkflow.Form;
using KaWorkflow.Register;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;
using KaWorkflow.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KaWorkflow.Tests.Form;

/// <summary>
/// A CMT lead using the form in a real browser (Debian's Chromium through Playwright, phone-sized) against the app
/// on Azurite. Every state is checked with axe-core and kept as a screenshot.
/// </summary>
public sealed class FormBrowserTests
{
    private const string RoundId = "2020-21-Q1";
    private const string Lead = "co.governance@council.example"; // nine activities, KA.01.04 first

    private static string Radio(string code, RagStatus status) =>
        "#" + FieldIds.Id(FormValidation.StatusField(code)) + (status == RagStatus.Green ? "" : "-" + status);
    private static string Progress(string code) => "#" + FieldIds.Id(FormValidation.ProgressField(code));
    private static string Next(string code) => "#" + FieldIds.Id(FormValidation.NextField(code));

    private static async Task AnswerAsync(IPage page, string code, RagStatus status, string progress, string next)
    {
        await page.CheckAsync(Radio(code, status));
        await page.FillAsync(Progress(code), progress);
        await page.FillAsync(Next(code), next);
    }

    private static async Task<LeadView> StoredAsync(TestApp app) =>
        (await app.Services.GetRequiredService<RoundStore>().LoadLeadWithHistoryAsync(RoundId, Lead))!;

    [Fact]
    public async Task A_lead_saves_a_draft_finds_it_on_another_device_submits_and_amends_and_the_store_matches()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var link = await app.LinkForAsync(Lead);
        var codes = (await StoredAsync(app)).Items.Select(i => i.Code).ToList();
        const string hostile = "- Restructure agreed <script>alert('x')</script>\n- Corrective action: <b>recruit</b> & review";

        await using (var phone = await Browser.NewContextAsync(app.BaseUrl))
        {
            var page = await phone.NewPageAsync();
            await page.GotoAsync(link);
            await Browser.ScreenshotAsync(page, "form-1-opened");
            await Browser.AssertAccessibleAsync(page);
            await AnswerAsync(page, codes[0], RagStatus.Amber, hostile, "- Report to Cabinet in September");
            await AnswerAsync(page, codes[1], RagStatus.Green, "On track", "1. Carry on");
            await page.ClickAsync("button[value=save]");
            await Browser.WaitForSuccessAsync(page);
            await Browser.ScreenshotAsync(page, "form-2-draft-saved");
            Assert.Contains("Your draft has been saved", await page.InnerTextAsync(".govuk-notification-banner--success"));
        }
        Assert.Equal(ReturnStatus.Draft, (await StoredAsync(app)).Return.Status);

        await using (var laptop = await Browser.NewContextAsync(app.BaseUrl, phone: false))
        {
            var page = await laptop.NewPageAsync();
            await page.GotoAsync(link);
            Assert.Equal(hostile, (await page.InputValueAsync(Progress(codes[0]))).Replace("\r\n", "\n"));
            Assert.True(await page.IsCheckedAsync(Radio(codes[0], RagStatus.Amber)));
            Assert.Equal("1. Carry on", await page.InputValueAsync(Next(codes[1])));
            Assert.Equal(0, await page.Locator("script:has-text('alert')").CountAsync()); // shown as text, never as markup
            foreach (var code in codes.Skip(2)) await AnswerAsync(page, code, RagStatus.Green, $"Progress on {code}", "Continue");
            await page.ClickAsync("button[value=submit]");
            await Browser.WaitForSuccessAsync(page);
            await Browser.ScreenshotAsync(page, "form-3-submitted");
            Assert.Contains("submitted", await page.InnerTextAsync(".govuk-notification-banner--success"));

            await page.FillAsync(Progress(codes[2]), "Amended after submitting");
            await page.ClickAsync("button[value=submit]");
            await Browser.WaitForSuccessAsync(page);
            await Browser.AssertAccessibleAsync(page);
        }

        var stored = await StoredAsync(app);
        Assert.Equal(ReturnStatus.Submitted, stored.Return.Status);
        Assert.Equal((RagStatus.Amber, hostile), (stored.Items[0].Status, stored.Items[0].Progress));
        Assert.Equal("1. Carry on", stored.Items[1].NextSteps);
        Assert.Equal("Amended after submitting", stored.Items[2].Progress);
        Assert.All(stored.Items.Skip(3), i => Assert.Equal((RagStatus.Green, $"Progress on {i.Code}"), (i.Status, i.Progress)));
        Assert.Equal(["draft-saved", "submitted", "amended"], stored.Versions.Select(v => v.Type));
        Assert.Equal([codes[2]], stored.Versions[2].Changes.Select(c => c.Code));
        Assert.All(stored.Versions, v => Assert.Equal(Lead, v.Actor));
    }

    [Fact]
    public async Task An_invalid_submission_shows_every_typed_word_again_beside_its_error()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var codes = (await StoredAsync(app)).Items.Select(i => i.Code).ToList();
        await using var phone = await Browser.NewContextAsync(app.BaseUrl);
        var page = await phone.NewPageAsync();
        await page.GotoAsync(await app.LinkForAsync(Lead));
        await page.CheckAsync(Radio(codes[0], RagStatus.Red));
        await page.FillAsync(Progress(codes[0]), "");
        var typed = string.Join("\n", Enumerable.Range(1, 40).Select(n => $"- Step {n} of the plan, with \"quotes\" & <angle brackets>"));
        await page.FillAsync(Next(codes[0]), typed);
        await page.FillAsync(Progress(codes[1]), new string('x', 4_001));
        await page.ClickAsync("button[value=submit]");

        await page.WaitForSelectorAsync(".govuk-error-summary");
        Assert.StartsWith("Error: ", await page.TitleAsync());
        var summary = await page.InnerTextAsync(".govuk-error-summary");
        Assert.Contains($"Explain the issue and the corrective action for {codes[0]}", summary);
        Assert.Contains($"Progress for {codes[1]} must be 4,000 characters or fewer", summary);
        Assert.Equal(typed, (await page.InputValueAsync(Next(codes[0]))).Replace("\r\n", "\n"));
        Assert.Equal(4_001, (await page.InputValueAsync(Progress(codes[1]))).Length);
        Assert.True(await page.IsCheckedAsync(Radio(codes[0], RagStatus.Red)));
        await Browser.ScreenshotAsync(page, "form-4-errors");
        await Browser.AssertAccessibleAsync(page);

        await page.ClickAsync($".govuk-error-summary a[href='{Progress(codes[0])}']");
        Assert.Equal(FieldIds.Id(FormValidation.ProgressField(codes[0])), await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.Equal(ReturnStatus.Opened, (await StoredAsync(app)).Return.Status); // nothing stored
    }

    [Fact]
    public async Task Two_tabs_never_overwrite_each_other_silently_and_the_later_save_sees_both_versions()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var code = (await StoredAsync(app)).Items[0].Code;
        await using var context = await Browser.NewContextAsync(app.BaseUrl, phone: false);
        var link = await app.LinkForAsync(Lead);
        var first = await context.NewPageAsync();
        var second = await context.NewPageAsync();
        await first.GotoAsync(link);
        await second.GotoAsync(link);

        await first.FillAsync(Progress(code), "Written in the first tab");
        await first.ClickAsync("button[value=save]");
        await first.WaitForSelectorAsync(".govuk-notification-banner--success");
        await second.FillAsync(Progress(code), "Written in the second tab");
        await second.ClickAsync("button[value=save]");

        await second.WaitForSelectorAsync(".ka-both");
        Assert.Contains("saved elsewhere", await second.InnerTextAsync(".govuk-error-summary"));
        Assert.Contains("Written in the first tab", await second.InnerTextAsync(".ka-both"));
        Assert.Equal("Written in the second tab", await second.InputValueAsync(Progress(code)));
        Assert.Equal("Written in the first tab", (await StoredAsync(app)).Items[0].Progress);
        await Browser.ScreenshotAsync(second, "form-5-conflict");
        await Browser.AssertAccessibleAsync(second);

        await second.ClickAsync("button[value=save]"); // having seen both, the lead keeps theirs
        await second.WaitForSelectorAsync(".govuk-notification-banner--success");
        FaultLedger.Record("two tabs", FaultLedger.Missing((await StoredAsync(app)).Items[0].Progress, "Written in the second tab"));
        Assert.Equal("Written in the second tab", (await StoredAsync(app)).Items[0].Progress);
        Assert.Equal(2, (await StoredAsync(app)).Versions.Count);
    }

    [Fact]
    public async Task A_double_click_or_a_resent_save_makes_one_version_not_a_conflict()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var lead = await StoredAsync(app);
        var link = await app.LinkForAsync(Lead);
        var token = await FormClient.OpenAsync(app.Http, link);
        var fields = new List<KeyValuePair<string, string>> { new("action", "save"), new("version", lead.Return.Version.ToString()),
            new("status|" + lead.Items[0].Code, "Green"), new("progress|" + lead.Items[0].Code, "Once") };
        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => FormClient.PostAsync(app.Http, link, token, fields)));
        var again = await FormClient.PostAsync(app.Http, link, token, fields); // a refresh re-sending the form

        FaultLedger.Record("double submit", FaultLedger.Missing((await StoredAsync(app)).Items[0].Progress, "Once"));
        Assert.All(responses.Append(again), r => Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode));
        Assert.Single((await StoredAsync(app)).Versions);
    }

    [Fact]
    public async Task Text_typed_but_never_saved_can_be_put_back_after_the_tab_is_closed()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var code = (await StoredAsync(app)).Items[0].Code;
        await using var phone = await Browser.NewContextAsync(app.BaseUrl);
        var link = await app.LinkForAsync(Lead);
        var page = await phone.NewPageAsync();
        await page.GotoAsync(link);
        await page.FillAsync(Progress(code), "Typed on the train, then the battery died");
        await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = false });

        page = await phone.NewPageAsync();
        await page.GotoAsync(link);
        await page.WaitForSelectorAsync("#ka-restore:not([hidden])");
        await Browser.ScreenshotAsync(page, "form-6-restore-offered");
        await page.ClickAsync("#ka-restore button");
        Assert.Equal("Typed on the train, then the battery died", await page.InputValueAsync(Progress(code)));
    }

    [Fact]
    public async Task A_storage_outage_during_a_save_shows_a_clear_error_with_the_text_and_a_retry_that_works()
    {
        await using var gate = new TcpGate(Azurite.Instance.TablePort);
        await using var app = await TestApp.WithOpenRoundBehindAsync(gate);
        var code = (await StoredAsync(app)).Items[0].Code;
        await using var phone = await Browser.NewContextAsync(app.BaseUrl);
        var page = await phone.NewPageAsync();
        await page.GotoAsync(await app.LinkForAsync(Lead));
        await page.FillAsync(Progress(code), "Written while the storage was down");

        gate.Shut();
        await page.ClickAsync("button[value=save]"); // the page's ticket spares the read: the write itself fails
        await page.WaitForSelectorAsync("text=your update could not be saved just now");
        Assert.Equal("Written while the storage was down", await page.InputValueAsync(Progress(code)));
        await Browser.ScreenshotAsync(page, "form-7-storage-outage");
        await Browser.AssertAccessibleAsync(page);

        gate.Open();
        await page.ClickAsync("button[value=save]");
        await Browser.WaitForSuccessAsync(page);
        FaultLedger.Record("storage down",
            FaultLedger.Missing((await StoredAsync(app)).Items[0].Progress, "Written while the storage was down"));
        Assert.Equal("Written while the storage was down", (await StoredAsync(app)).Items[0].Progress);
    }

    [Fact]
    public async Task Expired_replaced_and_made_up_links_are_refused_with_a_clear_page_that_names_no_one()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var original = await app.LinkForAsync(Lead);
        await using var phone = await Browser.NewContextAsync(app.BaseUrl);
        var page = await phone.NewPageAsync();

        var forged = original[..^4] + (original[^4..] == "AAAA" ? "BBBB" : "AAAA");
        var response = await page.GotoAsync(forged);
        Assert.Equal(404, response!.Status);
        Assert.Contains("This link is not recognised", await page.InnerTextAsync("h1"));
        await Browser.ScreenshotAsync(page, "link-1-unknown");
        await Browser.AssertAccessibleAsync(page);

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.ActAsync(RoundId, ActionNames.Resend, new { reason = "Lost it", lead = Lead });
        await app.TickAsync();
        response = await page.GotoAsync(original);
        Assert.Equal(410, response!.Status);
        Assert.Contains("This link has been replaced", await page.InnerTextAsync("h1"));
        await Browser.ScreenshotAsync(page, "link-2-replaced");

        var current = await app.LinkForAsync(Lead);
        await app.ActAsync(RoundId, ActionNames.Close, new { reason = "Committee" });
        response = await page.GotoAsync(current);
        Assert.Equal(200, response!.Status); // closed: read-only within the grace period
        Assert.Equal(0, await page.Locator("textarea").CountAsync());
        await Browser.ScreenshotAsync(page, "link-3-closed-read-only");
        await Browser.AssertAccessibleAsync(page);

        app.Clock.Advance(TimeSpan.FromDays(29));
        response = await page.GotoAsync(current);
        Assert.Equal(410, response!.Status);
        Assert.Contains("This link has expired", await page.InnerTextAsync("h1"));
        await Browser.ScreenshotAsync(page, "link-4-expired");
        await Browser.AssertAccessibleAsync(page);
        foreach (var text in new[] { "2020-21", "Governance", "council.example" })
            Assert.DoesNotContain(text, (await page.InnerTextAsync("main")).Replace("performance@council.example", ""));
    }
}
