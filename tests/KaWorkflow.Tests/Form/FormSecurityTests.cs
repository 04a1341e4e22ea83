using System.Net;
using KaWorkflow.Demo;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Form;

/// <summary>The form's defences over real HTTP: anti-forgery, guessing, scope to one lead, and delegates' own links.</summary>
public sealed class FormSecurityTests
{
    private const string RoundId = "2020-21-Q1", Lead = "co.finance@council.example", Other = "co.planning@council.example";

    private static async Task<LeadView> StoredAsync(TestApp app, string lead = Lead) =>
        (await app.Services.GetRequiredService<RoundStore>().LoadLeadWithHistoryAsync(RoundId, lead))!;

    [Fact]
    public async Task A_post_without_the_anti_forgery_token_saves_nothing_and_gives_the_text_back()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var lead = await StoredAsync(app);
        var link = await app.LinkForAsync(Lead);
        await FormClient.OpenAsync(app.Http, link); // has the cookie, but posts no token: a cross-site form would look like this
        var response = await app.Http.PostAsync(link, new FormUrlEncodedContent([new("action", "save"), new("version",
            lead.Return.Version.ToString()),
            new("progress|" + lead.Items[0].Code, "Forged text kept for the lead")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Forged text kept for the lead", await response.Content.ReadAsStringAsync());
        Assert.Empty((await StoredAsync(app)).Versions);
    }

    [Fact]
    public async Task A_link_cannot_touch_another_leads_activities()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var mine = await StoredAsync(app);
        var theirs = (await StoredAsync(app, Other)).Items[0];
        var response = await FormClient.SendAsync(app.Http, await app.LinkForAsync(Lead), [new("action", "save"),
            new("version", mine.Return.Version.ToString()),
            new("status|" + theirs.Code, "Red"), new("progress|" + theirs.Code, "Meddling")]);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode); // a harmless draft of the lead's own form
        Assert.Null((await StoredAsync(app, Other)).Items[0].Progress);
    }

    /// <summary>A request as the front end forwards it: the client's own claims, then the address it saw.</summary>
    private static HttpRequestMessage From(string path, string forwardedFor) =>
        new(HttpMethod.Get, path) { Headers = { { "X-Forwarded-For", forwardedFor } } };

    private static string Guess(int n) => "/api/forms/" + new string((char)('a' + n), 43);

    [Fact]
    public async Task Repeated_guessing_from_one_address_is_refused_for_a_while_but_a_working_link_never_is()
    {
        await using var app = await TestApp.WithOpenRoundAsync(null, "--Form:GuessesPerWindow=3");
        var real = await app.LinkForAsync(Lead);
        for (var n = 0; n < 3; n++)
            Assert.Equal(HttpStatusCode.NotFound, (await app.Http.SendAsync(From(Guess(n), "203.0.113.5"))).StatusCode);

        var refused = await app.Http.SendAsync(From(Guess(25), "203.0.113.5"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // A council office behind one address: a colleague's mistyped links must not lock out a lead's real one.
        Assert.Equal(HttpStatusCode.OK, (await app.Http.SendAsync(From(real, "203.0.113.5"))).StatusCode);
    }

    [Fact]
    public async Task A_guesser_cannot_dodge_the_limit_or_lock_someone_else_out_by_writing_their_own_forwarded_address()
    {
        await using var app = await TestApp.WithOpenRoundAsync(null, "--Form:GuessesPerWindow=3");
        // The guesser puts a made-up or a victim's address first; the front end appends the address it really saw.
        var statuses = new List<HttpStatusCode>();
        for (var n = 0; n < 6; n++)
            statuses.Add((await app.Http.SendAsync(From(Guess(n), $"198.51.100.{n}, 203.0.113.5"))).StatusCode);
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.NotFound, 3), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)],
            statuses);
        // The address the guesser named is untouched: its own mistake is a plain 404, not a lock-out.
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.SendAsync(From(Guess(20), "198.51.100.1"))).StatusCode);
    }

    [Fact]
    public async Task A_delegate_gets_their_own_link_their_saves_are_recorded_as_theirs_and_the_lead_can_stop_it()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var link = await app.LinkForAsync(Lead);
        var token = await FormClient.OpenAsync(app.Http, link);
        var named = await FormClient.PostAsync(app.Http, link + "/delegate", token, [new("delegateName", "Dee Puty"),
            new("delegateEmail", "dee.puty@council.example")]);
        Assert.Equal(HttpStatusCode.SeeOther, named.StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.TickAsync();

        var invite = Assert.Single(await app.MailAsync(), m => m.To.Contains("dee.puty@council.example"));
        Assert.Contains(Lead, invite.Cc);
        var delegateLink = await app.LinkForAsync("dee.puty@council.example");
        Assert.NotEqual(link, delegateLink);
        var page = await (await app.Http.GetAsync(delegateLink)).Content.ReadAsStringAsync();
        Assert.Contains("filled in by dee.puty@council.example", page);
        Assert.DoesNotContain("Ask someone to fill this in", page); // only the lead names delegates

        var lead = await StoredAsync(app);
        var fields = lead.Items.SelectMany(i => new KeyValuePair<string, string>[] { new("status|" + i.Code, "Green"),
            new("progress|" + i.Code, "By the delegate") })
            .Append(new("action", "submit")).Append(new("version", lead.Return.Version.ToString())).ToList();
        Assert.Equal(HttpStatusCode.SeeOther, (await FormClient.SendAsync(app.Http, delegateLink, fields)).StatusCode);
        var stored = await StoredAsync(app);
        Assert.Equal(("dee.puty@council.example", "dee.puty@council.example"), (stored.Return.SavedBy, stored.Return.SubmittedBy));

        token = await FormClient.OpenAsync(app.Http, link);
        Assert.Equal(HttpStatusCode.SeeOther, (await FormClient.PostAsync(app.Http, link + "/delegate", token,
            [new("remove", "true")])).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await app.Http.GetAsync(delegateLink)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task Naming_a_delegate_with_a_bad_address_explains_and_keeps_what_was_typed()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var link = await app.LinkForAsync(Lead);
        var token = await FormClient.OpenAsync(app.Http, link);
        var response = await FormClient.PostAsync(app.Http, link + "/delegate", token, [new("delegateName",
            "Dee <b>Puty</b>"), new("delegateEmail", "not an address")]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Enter an e-mail address in the correct format", page);
        Assert.Contains("value=\"Dee &lt;b&gt;Puty&lt;/b&gt;\"", page);
        Assert.Contains("value=\"not an address\"", page);
    }

    [Fact]
    public async Task In_production_behind_a_proxy_that_forwards_plain_http_the_form_opens_and_saves()
    {
        await using var app = await TestApp.WithOpenRoundAsync(null, "--environment=Production");
        var lead = await StoredAsync(app);
        var link = await app.LinkForAsync(Lead);
        // The browser spoke HTTPS to the front end; the front end speaks HTTP to the app on loopback and says so.
        using var proxy = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
            { BaseAddress = new Uri(app.BaseUrl) };
        HttpRequestMessage Forwarded(HttpMethod method, HttpContent? content = null, string? cookie = null)
        {
            var request = new HttpRequestMessage(method, link) { Content = content };
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            if (cookie is not null) request.Headers.Add("Cookie", cookie);
            return request;
        }

        var page = await proxy.SendAsync(Forwarded(HttpMethod.Get));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var setCookie = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ka-form="));
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase); // the browser only sends it back over HTTPS
        var token = FormClient.TokenIn(await page.Content.ReadAsStringAsync())!;
        var saved = await proxy.SendAsync(Forwarded(HttpMethod.Post, new FormUrlEncodedContent([
            new("__RequestVerificationToken", token), new("action", "save"), new("version", lead.Return.Version.ToString()),
            new("progress|" + lead.Items[0].Code, "Saved through the proxy"),
        ]), setCookie.Split(';')[0]));

        Assert.Equal(HttpStatusCode.SeeOther, saved.StatusCode);
        Assert.Equal("Saved through the proxy", (await StoredAsync(app)).Items[0].Progress);
    }

    [Fact]
    public async Task A_form_link_cannot_make_the_councils_mailbox_write_to_an_outside_address()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var link = await app.LinkForAsync(Lead);
        var response = await FormClient.PostAsync(app.Http, link + "/delegate", await FormClient.OpenAsync(app.Http, link), [
            new("delegateName", "Pat\nVisit https://evil.example"), new("delegateEmail", "attacker@evil.example")]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Enter an address at council.example", page);
        Assert.Contains("Enter their name on one line", page);
        await app.TickAsync();
        Assert.DoesNotContain(await app.MailAsync(), m => m.To.Contains("attacker@evil.example"));
    }

    [Fact]
    public async Task Reminders_carry_the_link_already_sent_so_each_lead_has_one_live_link_until_a_new_invite_replaces_it()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        await app.RunUntilAsync(Times.London(7, 22, 12));
        var links = (await app.MailAsync()).Where(m => m.To.Contains(Lead))
            .Select(m => System.Text.RegularExpressions.Regex.Match(m.Body, @"/api/forms/[A-Za-z0-9_-]{43}").Value)
            .Where(l => l.Length > 0).ToList();
        Assert.True(links.Count >= 3, $"the invite and at least two reminders, not {links.Count}");
        Assert.Single(links.Distinct());
        Assert.Equal(1, await LiveLinksAsync(app, Lead));

        Assert.Equal(HttpStatusCode.OK, (await app.ActAsync(RoundId, KaWorkflow.Rounds.ActionNames.Resend,
            new { reason = "Lost the e-mail", lead = Lead })).StatusCode);
        await app.RunUntilAsync(app.Clock.GetUtcNow().AddHours(1));
        Assert.Equal(HttpStatusCode.Gone, (await app.Http.GetAsync(links[0])).StatusCode); // "a newer link was sent"
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(await app.LinkForAsync(Lead))).StatusCode);
        Assert.Equal(1, await LiveLinksAsync(app, Lead));
    }

    /// <summary>Links of the lead's current generation in the tokens table (delegates' own links aside).</summary>
    private static async Task<int> LiveLinksAsync(TestApp app, string lead)
    {
        var generation = (await StoredAsync(app, lead)).Return.TokenGeneration;
        var rows = await KaWorkflow.Storage.TableRows.QueryListAsync(app.Services.GetRequiredService<KaWorkflow.Form.FormLinks>()
            .Table, Azure.Data.Tables.TableClient.CreateQueryFilter($"LeadKey eq {lead}"));
        return rows.Count(r => r.GetString("Delegate") is null && r.GetInt32("Generation") == generation);
    }
}
