using System.Net;
using KaWorkflow.Demo;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using static KaWorkflow.Tests.Support.SampleLeads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KaWorkflow.Tests.Dashboard;

/// <summary>
/// A performance-team member using the dashboard in Chromium through a live round on Azurite: watching a lead
/// submit, extending a deadline, reassigning an activity, uploading a register, opening the report.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string RoundId = "2020-21-Q1", Root = "/api/dashboard";

    private static async Task<IPage> SignedInAsync(TestApp app, IBrowserContext context, string path)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(path); // not signed in: sent to the development sign-in, then back
        Assert.EndsWith(path, page.Url);
        return page;
    }

    private static async Task ActAsync(IPage page, string legend, Func<ILocator, Task> fill)
    {
        var form = page.Locator("form.ka-action", new() { Has = page.Locator($"legend:has-text(\"{legend}\")") });
        await fill(form);
        await form.Locator("button").ClickAsync();
        await page.WaitForSelectorAsync("h1:has-text('Check before you confirm')");
        await Browser.ScreenshotAsync(page, "dashboard-confirm-" + legend.Split(' ')[0].ToLowerInvariant());
        await Browser.AssertAccessibleAsync(page);
        await page.ClickAsync("button:has-text('Confirm')");
        await Browser.WaitForSuccessAsync(page);
    }

    [Fact]
    public async Task The_performance_team_watches_a_round_and_acts_on_it()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl, phone: false);
        var page = await SignedInAsync(app, context, Root);
        await Browser.ScreenshotAsync(page, "dashboard-1-rounds");
        await Browser.AssertAccessibleAsync(page);

        await page.Clock.InstallAsync(); // the page's own timers, so the self-refresh can be hurried along
        await page.ClickAsync($"a:has-text('Quarter 1 (2020-21)')");
        await page.WaitForSelectorAsync("#progress");
        Assert.Contains("0 of 5 returns submitted", await page.InnerTextAsync("#progress"));
        await Browser.AssertAccessibleAsync(page);

        await app.SubmitAllAsync(Finance); // a lead submits while the team watches
        await page.Clock.RunForAsync(16_000);
        await page.WaitForSelectorAsync("#progress:has-text('1 of 5 returns submitted')");
        Assert.Contains("Submitted", await page.InnerTextAsync("tr:has-text('Chief Officer - Finance')"));
        await Browser.ScreenshotAsync(page, "dashboard-2-round");

        await page.ClickAsync("a:has-text('Overdue')"); // filters: nobody is overdue yet
        Assert.Contains("0 of 5 leads", await page.InnerTextAsync("caption"));
        await page.ClickAsync("a:has-text('All')");

        // A date that does not exist comes back in its boxes with the error beside it, then goes through fixed.
        var extend = page.Locator("form.ka-action", new() { Has = page.Locator("legend:has-text('Extend the deadline')") });
        await extend.Locator("input[name=deadline-day]").FillAsync("31");
        await extend.Locator("input[name=deadline-month]").FillAsync("6");
        await extend.Locator("input[name=deadline-year]").FillAsync("2020");
        await extend.Locator("input[name=reason]").FillAsync("Summer holidays");
        await extend.Locator("button").ClickAsync();
        await page.WaitForSelectorAsync(".govuk-error-summary");
        Assert.Contains("The new deadline must be a real date", await page.InnerTextAsync(".govuk-error-summary"));
        Assert.Equal("31", await page.InputValueAsync("#deadline-day"));
        Assert.Equal("6", await page.InputValueAsync("#deadline-month"));
        Assert.Equal("Summer holidays", await page.InputValueAsync("#confirm"));
        await Browser.ScreenshotAsync(page, "dashboard-confirm-date-error");
        await Browser.AssertAccessibleAsync(page);
        await page.FillAsync("#deadline-day", "28");
        await page.FillAsync("#deadline-month", "Jul");
        await page.ClickAsync("button:has-text('Confirm')");
        await Browser.WaitForSuccessAsync(page);
        Assert.Contains("Round deadline moved to Tuesday 28 July", await page.InnerTextAsync(".govuk-notification-banner"));
        Assert.Contains("Tuesday 28 July 2020", await page.InnerTextAsync("main"));

        await page.ClickAsync("a:has-text('Chief Officer - Planning and Regeneration')");
        await page.WaitForSelectorAsync("h2:has-text('Timeline')");
        await Browser.ScreenshotAsync(page, "dashboard-3-lead");
        await Browser.AssertAccessibleAsync(page);
        await ActAsync(page, "Move an activity to another lead", async form =>
        {
            await form.Locator("select[name=code]").SelectOptionAsync("KA.01.01");
            await form.Locator("select[name=toLead]").SelectOptionAsync(Finance);
            await form.Locator("input[name=reason]").FillAsync("New structure");
        });
        Assert.Contains("KA.01.01 moved from Chief Officer - Planning and Regeneration to Chief Officer - Finance",
            await page.InnerTextAsync(".govuk-notification-banner"));
        Assert.Equal(Finance,
            (await app.Services.GetRequiredService<RoundStore>().LoadItemsAsync(RoundId)).Single(i => i.Code == "KA.01.01").LeadKey);
        var financeRow = await page.InnerTextAsync("tr:has-text('Chief Officer - Finance')");
        Assert.True(financeRow.Contains("Draft saved"), financeRow); // had submitted; now has an unanswered activity

        await page.GotoAsync($"{Root}/rounds/{RoundId}/leads/{Uri.EscapeDataString(Finance)}");
        Assert.Contains("Reassigned to", await page.InnerTextAsync(".ka-timeline"));

        foreach (var (path, name) in new[] { ("chase-calendar", "dashboard-7-chase-calendar"), ("activities", "dashboard-8-activities") })
        {
            await page.GotoAsync($"{Root}/rounds/{RoundId}/{path}");
            await Browser.ScreenshotAsync(page, name);
            await Browser.AssertAccessibleAsync(page);
        }
        await page.GotoAsync($"{Root}/rounds/{RoundId}/chase-calendar");
        Assert.Contains("due Tuesday 28 July", await page.InnerTextAsync("main")); // the calendar follows the extended deadline
    }

    [Fact]
    public async Task A_register_with_an_error_is_refused_with_its_lines_and_a_good_one_is_previewed_before_it_replaces_the_old()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl, phone: false);
        var page = await SignedInAsync(app, context, $"{Root}/register");
        var bad = Path.Combine(Path.GetTempPath(), $"register-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(bad,
            "Theme,Code,Activity,Lead,Lead email\nT,KA.1,One,Ann,ann@council.example\nT,KA.1,Two,Bob,not-an-address\n");
        await page.SetInputFilesAsync("#register-file", bad);
        await page.ClickAsync("button:has-text('Preview the changes')");
        await page.WaitForSelectorAsync(".govuk-error-summary");
        var summary = await page.InnerTextAsync(".govuk-error-summary");
        Assert.Contains("Line 3: Code 'KA.1' is already used on line 2.", summary);
        Assert.Contains("'not-an-address' is not an e-mail address", summary);
        await Browser.ScreenshotAsync(page, "dashboard-4-register-refused");
        await Browser.AssertAccessibleAsync(page);
        Assert.Equal(37, (await app.Services.GetRequiredService<KaWorkflow.Register.RegisterStore>().LoadAsync()).Count);

        var good = Path.Combine(Path.GetTempPath(), $"register-{Guid.NewGuid():N}.csv");
        var sample = KaWorkflow.Register.RegisterCsv.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path,
            "sample", "register.csv"))).Activities;
        await File.WriteAllTextAsync(good, KaWorkflow.Register.RegisterCsv.Write(sample.Select(a => a.Code == "KA.01.01"
            ? a with { LeadName = "Chief Officer - Finance and Assets", LeadEmail = Finance,
                EscalationEmail = sample.First(f => f.LeadEmail == Finance).EscalationEmail } : a)));
        await page.SetInputFilesAsync("#register-file", good);
        await page.ClickAsync("button:has-text('Preview the changes')");
        await page.WaitForSelectorAsync("h1:has-text('Check the new register')");
        Assert.Contains("KA.01.01 Adoption and Implementation of the Local Plan: Chief Officer - Planning and " +
            "Regeneration to Chief Officer - Finance and Assets", await page.InnerTextAsync("main"));
        await Browser.ScreenshotAsync(page, "dashboard-5-register-preview");
        await Browser.AssertAccessibleAsync(page);
        await page.ClickAsync("button:has-text('Replace the register')");
        await Browser.WaitForSuccessAsync(page);
        var register = await app.Services.GetRequiredService<KaWorkflow.Register.RegisterStore>().LoadAsync();
        Assert.Equal(Finance, register.Single(a => a.Code == "KA.01.01").LeadKey);
        File.Delete(bad);
        File.Delete(good);
    }

    [Fact]
    public async Task When_every_return_is_in_the_report_opens_from_the_round_page()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        foreach (var lead in new[] { Finance, Planning, Communities, Governance, Chief })
            await app.SubmitAllAsync(lead);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.TickAsync();
        await using var context = await Browser.NewContextAsync(app.BaseUrl, phone: false);
        var page = await SignedInAsync(app, context, $"{Root}/rounds/{RoundId}");
        Assert.Contains("5 of 5 returns submitted (100%)", await page.InnerTextAsync("#progress"));
        await Browser.AssertAccessibleAsync(page);
        await page.ClickAsync($"a:has-text('{RoundId}/v1/report.html')");
        await page.WaitForSelectorAsync("h1:has-text('Key Activity Quarterly Report')");
        Assert.Contains("Harborough District Council", await page.InnerTextAsync("body"));
        await Browser.ScreenshotAsync(page, "dashboard-6-report");
    }

    [Fact]
    public async Task Without_signing_in_pages_redirect_and_the_api_says_401_and_without_the_role_403()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var page = new HttpRequestMessage(HttpMethod.Get, Root);
        page.Headers.Accept.ParseAdd("text/html");
        var redirected = await app.Http.SendAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal($"/dev/signin?post_login_redirect_uri={Uri.EscapeDataString(Root)}", redirected.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.GetAsync($"/api/admin/rounds/{RoundId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, Root,
            role: "Councillor"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get,
            $"/api/admin/rounds/{RoundId}", role: "Councillor"))).StatusCode);

        // A lead's form link is no way in.
        var link = await app.LinkForAsync(Finance);
        var withLink = new HttpRequestMessage(HttpMethod.Get, Root);
        withLink.Headers.Referrer = new Uri(app.BaseUrl + link);
        await app.Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.SendAsync(withLink)).StatusCode);
    }
}
