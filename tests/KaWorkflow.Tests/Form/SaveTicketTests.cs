using System.Net;
using KaWorkflow.Demo;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Form;

/// <summary>
/// The page's save ticket over real HTTP and Azurite: a save is one transaction, and a ticket that no longer tells
/// the truth (the round closed, an activity excused, a new link sent) or was never this link's changes nothing it
/// should not: the save reads and decides again.
/// </summary>
public sealed class SaveTicketTests
{
    private const string RoundId = "2020-21-Q1", Lead = SampleLeads.Finance, Other = SampleLeads.Planning;

    private static async Task<LeadView> StoredAsync(TestApp app, string lead = Lead) =>
        (await app.Services.GetRequiredService<RoundStore>().LoadLeadWithHistoryAsync(RoundId, lead))!;

    private static List<KeyValuePair<string, string>> Answer(LeadView lead, string progress, string action = "save") =>
        [new("action", action), new("version", lead.Return.Version.ToString()),
         new("status|" + lead.Items[0].Code, "Amber"), new("progress|" + lead.Items[0].Code, progress)];

    /// <summary>The lead's form as their browser shows it: its link, hidden fields and the return behind it.</summary>
    private static async Task<(string Link, ShownForm Shown, LeadView Lead)> ShowAsync(TestApp app)
    {
        var link = await app.LinkForAsync(Lead);
        return (link, await FormClient.OpenAsync(app.Http, link), await StoredAsync(app));
    }

    private static string Timing(HttpResponseMessage response) =>
        string.Join(",", response.Headers.GetValues("Server-Timing"));

    [Fact]
    public async Task A_save_from_the_page_is_one_storage_request_and_stores_the_text()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var link = await app.LinkForAsync(Lead);
        var shown = await FormClient.OpenAsync(app.Http, link);
        Assert.NotNull(shown.Ticket);

        var response = await FormClient.PostAsync(app.Http, link, shown, Answer(await StoredAsync(app), "One request"));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Contains("desc=\"1 storage request", Timing(response));
        Assert.Equal("One request", (await StoredAsync(app)).Items[0].Progress);
    }

    [Fact]
    public async Task A_save_without_a_ticket_reads_first_and_still_saves()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var link = await app.LinkForAsync(Lead);
        var shown = await FormClient.OpenAsync(app.Http, link) with { Ticket = null };
        var response = await FormClient.PostAsync(app.Http, link, shown, Answer(await StoredAsync(app), "Read first"));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Contains("desc=\"2 storage requests", Timing(response));
        Assert.Equal("Read first", (await StoredAsync(app)).Items[0].Progress);
    }

    [Fact]
    public async Task Another_leads_ticket_or_an_altered_one_is_ignored_and_touches_only_the_links_own_return()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var (mine, theirs) = (await app.LinkForAsync(Lead), await app.LinkForAsync(Other));
        var theirTicket = (await FormClient.OpenAsync(app.Http, theirs)).Ticket!;
        var shown = await FormClient.OpenAsync(app.Http, mine);
        var lead = await StoredAsync(app);

        foreach (var ticket in new[] { theirTicket, shown.Ticket![..^8] + "AAAAAAA=" })
        {
            var response = await FormClient.PostAsync(app.Http, mine, shown,
                [.. Answer(lead, "Mine alone"), new("ticket", ticket)]);
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        }
        Assert.Equal("Mine alone", (await StoredAsync(app)).Items[0].Progress);
        Assert.All((await StoredAsync(app, Other)).Items, i => Assert.Null(i.Progress));
    }

    [Fact]
    public async Task A_page_shown_before_the_round_closed_cannot_save_and_gets_its_text_back()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var (link, shown, lead) = await ShowAsync(app);
        Assert.Equal(HttpStatusCode.OK, (await app.ActAsync(RoundId, ActionNames.Close, new { reason = "Committee" })).StatusCode);

        var response = await FormClient.PostAsync(app.Http, link, shown, Answer(lead, "After the close"));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("After the close", await response.Content.ReadAsStringAsync());
        Assert.Null((await StoredAsync(app)).Items[0].Progress);
    }

    [Fact]
    public async Task A_page_shown_before_an_activity_was_excused_does_not_bring_it_back()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var (link, shown, lead) = await ShowAsync(app);
        var code = lead.Items[0].Code;
        Assert.Equal(HttpStatusCode.OK, (await app.ActAsync(RoundId, ActionNames.Excuse,
            new { reason = "Paused", lead = Lead, code })).StatusCode);

        var response = await FormClient.PostAsync(app.Http, link, shown, Answer(lead, "Typed before the excuse"));
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        var item = (await StoredAsync(app)).Items.Single(i => i.Code == code);
        Assert.True(item.Excused);
        Assert.Null(item.Progress);
    }

    [Fact]
    public async Task A_page_shown_before_a_new_link_was_sent_is_told_its_link_was_replaced()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var (link, shown, lead) = await ShowAsync(app);
        Assert.Equal(HttpStatusCode.OK, (await app.ActAsync(RoundId, ActionNames.Resend,
            new { reason = "Lost the e-mail", lead = Lead })).StatusCode);

        var response = await FormClient.PostAsync(app.Http, link, shown, Answer(lead, "On the old link"));
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("On the old link", await response.Content.ReadAsStringAsync());
        Assert.Null((await StoredAsync(app)).Items[0].Progress);
    }
}
