using System.Net;
using KaWorkflow.Demo;
using KaWorkflow.Hosting;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Rounds;

/// <summary>A round driven through the app's real HTTP endpoints, Graph SDK and Azurite, on a hand-moved clock.</summary>
public sealed class RoundWorkflowTests
{
    private const string RoundId = "2020-21-Q1";

    private static List<KeyValuePair<string, string>> Answers(IEnumerable<ReturnItem> items, string action, int version,
        string? progress = null) =>
        [.. new[] { new KeyValuePair<string, string>("action", action), new("version", version.ToString()) }
            .Concat(items.SelectMany(i => new KeyValuePair<string, string>[]
            {
                new("status|" + i.Code, "Green"), new("progress|" + i.Code, progress ?? $"- Progress on {i.Code}"),
                    new("next|" + i.Code, "- Carry on"),
            }))];

    [Fact]
    public async Task A_round_opens_on_schedule_invites_every_lead_once_and_completes_into_a_stored_report()
    {
        await using var app = await TestApp.StartAsync();
        await app.ImportSampleRegisterAsync();
        var store = app.Services.GetRequiredService<RoundStore>();

        await app.TickAsync();
        Assert.Null(await store.GetHeaderAsync("2020-21-Q1"));
        app.Clock.Set(Times.London(7, 7, 9));
        await app.TickAsync();
        await app.TickAsync(); // a second tick at the same moment changes nothing

        var mail = await app.MailAsync();
        Assert.Equal(5, mail.Count);
        Assert.Equal(5, mail.SelectMany(m => m.To).Distinct().Count());
        Assert.All(mail, m => Assert.StartsWith("Key Activity update for Q1 2020-21: due Tuesday 21 July", m.Subject));

        var round = (await store.LoadSnapshotAsync("2020-21-Q1"))!;
        foreach (var ret in round.Returns)
        {
            var link = await app.LinkForAsync(ret.LeadEmail);
            Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(link)).StatusCode);
            var lead = (await store.LoadLeadAsync("2020-21-Q1", ret.LeadKey))!.Value;
            var response = await FormClient.SendAsync(app.Http, link, Answers(lead.Items, "submit", lead.Return.Version));
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        }
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.TickAsync(); // completes and assembles
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.TickAsync(); // tells the performance team

        round = (await store.LoadSnapshotAsync("2020-21-Q1"))!;
        Assert.Equal(RoundStatus.Complete, round.Header.Status);
        Assert.All(round.Returns, r => Assert.Equal(ReturnStatus.Submitted, r.Status));
        Assert.All(round.Effects, e => Assert.Equal(EffectState.Done, e.State));
        var blob = await app.Services.GetRequiredService<KaWorkflow.Reports.ReportStore>().DownloadAsync("2020-21-Q1/v1/report.html");
        Assert.NotNull(blob);
        var html = blob!.Content.ToString();
        Assert.Equal(37, System.Text.RegularExpressions.Regex.Matches(html, "<tr id=\"KA\\.").Count);
        Assert.Contains("Harborough District Council", html);
        Assert.Single(await app.MailAsync(), m => m.Subject.StartsWith("Key Activity report ready")
            && m.To.Contains("performance@council.example"));
        var items = await store.LoadItemsAsync("2020-21-Q1");
        Assert.All(items, i => Assert.Equal($"- Progress on {i.Code}", i.Progress));
    }

    [Fact]
    public async Task Two_instances_ticking_at_the_same_moment_send_each_invite_once()
    {
        await using var one = await TestApp.StartAsync();
        await using var two = await one.StartAnotherInstanceAsync();
        await one.ImportSampleRegisterAsync();
        var opening = Times.London(7, 7, 9);
        one.Clock.Set(opening);
        two.Clock.Set(opening);
        await Task.WhenAll(one.TickAsync(), two.TickAsync(), one.TickAsync(), two.TickAsync());
        await Task.WhenAll(one.TickAsync(), two.TickAsync());

        var mail = await one.MailAsync();
        Assert.Equal(5, mail.Count);
        Assert.Equal(5, mail.Select(m => m.Reference).Distinct().Count());
    }

    [Fact]
    public async Task The_last_submission_wakes_the_round_which_completes_and_reports_without_any_tick()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var store = app.Services.GetRequiredService<RoundStore>();
        var returns = (await store.LoadSnapshotAsync("2020-21-Q1"))!.Returns;
        foreach (var ret in returns.SkipLast(1)) await app.SubmitAllAsync(ret.LeadEmail);
        var last = returns[^1];
        var link = await app.LinkForAsync(last.LeadEmail);
        var token = await FormClient.OpenAsync(app.Http, link); // marks the return opened
        var lead = (await store.LoadLeadAsync("2020-21-Q1", last.LeadKey))!.Value;

        var response = await FormClient.PostAsync(app.Http, link, token, Answers(lead.Items, "submit", lead.Return.Version));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        // One transaction (the page's save ticket spares reading the return) and one queue message to the round's
        // orchestration, counted for this request alone while the rounds' orchestrations work alongside.
        Assert.Contains("desc=\"2 storage requests\"", string.Join(",", response.Headers.GetValues("Server-Timing")));

        // Nothing here moves the clock or tells the orchestrations: the submission did.
        await Eventually.TrueAsync(async () =>
            (await app.MailAsync()).Any(m => m.Subject.StartsWith("Key Activity report ready")), "the report notice");
        Assert.Equal(RoundStatus.Complete, (await store.GetHeaderAsync("2020-21-Q1"))!.Status);
    }

    [Fact]
    public async Task A_lead_with_nothing_to_do_waits_in_their_own_orchestration_until_their_first_reminder()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var round = (await app.Services.GetRequiredService<RoundStore>().LoadSnapshotAsync(RoundId))!;
        var client = app.Services.GetRequiredService<IDurableClients>().Client;
        foreach (var ret in round.Returns)
        {
            var lead = await client.GetInstanceAsync(Orchestrations.LeadInstanceId(RoundId, ret.LeadKey), true);
            Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Running, lead?.RuntimeStatus);
            var waiting = System.Text.Json.JsonSerializer.Deserialize<LeadWaiting>(lead!.SerializedCustomStatus!,
                System.Text.Json.JsonSerializerOptions.Web);
            Assert.Equal(ret.NextReminderAt, waiting!.WakeAt);
        }
        var chasing = System.Text.Json.JsonSerializer.Deserialize<RoundWaiting>(
            (await client.GetInstanceAsync(RoundId, true))!.SerializedCustomStatus!, System.Text.Json.JsonSerializerOptions.Web);
        Assert.Equal(round.Returns.Select(r => r.LeadKey).Order(), chasing!.Chasing);
    }

    [Fact]
    public async Task An_invalid_submission_shows_every_typed_character_again_with_the_errors()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var store = app.Services.GetRequiredService<RoundStore>();
        var ret = (await store.LoadSnapshotAsync("2020-21-Q1"))!.Returns.First(r => r.ActivityCount > 1);
        var link = await app.LinkForAsync(ret.LeadEmail);
        var lead = (await store.LoadLeadAsync("2020-21-Q1", ret.LeadKey))!.Value;
        var typed = "Line one <b>bold?</b> & \"quotes\"\n- a list item";
        var fields = new List<KeyValuePair<string, string>> { new("action", "submit"), new("version", lead.Return.Version.ToString()),
            new("status|" + lead.Items[0].Code, "Red"), new("progress|" + lead.Items[0].Code, ""),
                new("next|" + lead.Items[0].Code, typed) };
        var response = await FormClient.SendAsync(app.Http, link, fields);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("There is a problem", page);
        Assert.Contains($"Explain the issue and the corrective action for {lead.Items[0].Code}", page);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(typed), page); // every character, encoded
        Assert.DoesNotContain("<b>bold?</b>", page);
        Assert.Contains($"value=\"Red\" checked", page);
        Assert.Contains("<title>Error: ", page);
        var after = (await store.LoadLeadAsync("2020-21-Q1", ret.LeadKey))!.Value;
        Assert.Equal(lead.Return.Version, after.Return.Version); // nothing was stored
        Assert.Null(after.Items[0].Status);
    }

    [Fact]
    public async Task A_link_works_only_for_its_own_lead_and_a_made_up_one_reveals_nothing()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var returns = (await app.Services.GetRequiredService<RoundStore>().LoadSnapshotAsync("2020-21-Q1"))!.Returns;
        var link = await app.LinkForAsync(returns[0].LeadEmail);
        var page = await (await app.Http.GetAsync(link)).Content.ReadAsStringAsync();
        Assert.Contains(System.Net.WebUtility.HtmlEncode(returns[0].LeadName), page);
        Assert.DoesNotContain(returns.Skip(1).Select(r => r.LeadEmail), page.Contains);

        var forged = link[..^4] + (link[^4..] == "AAAA" ? "BBBB" : "AAAA");
        var refused = await app.Http.GetAsync(forged);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        var text = await refused.Content.ReadAsStringAsync();
        Assert.DoesNotContain("2020-21", text);
        Assert.DoesNotContain("Chief Officer", text);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.PostAsync(forged, new FormUrlEncodedContent([]))).StatusCode);
    }

    [Fact]
    public async Task A_lead_who_does_not_answer_is_reminded_and_a_permanently_refused_email_is_parked_not_retried()
    {
        await using var app = await TestApp.WithOpenRoundAsync(
            "Theme,Code,Activity,Lead,Lead email\nT,KA.01.01,One,Ann,ann@council.example\nT,KA.01.02,Two,Bob,bob@nowhere.invalid\n");
        app.Clock.Set(Times.London(7, 16, 9));
        await app.TickAsync();
        var mail = await app.MailAsync();
        Assert.Equal(2, mail.Count(m => m.To.Contains("ann@council.example")));
        Assert.Contains(mail, m => m.Subject.StartsWith("Reminder: Key Activity update for Q1 2020-21"));
        Assert.DoesNotContain(mail, m => m.To.Contains("bob@nowhere.invalid"));
        var effects = (await app.Services.GetRequiredService<RoundStore>().LoadSnapshotAsync("2020-21-Q1"))!.Effects;
        Assert.Equal(EffectState.Parked, effects.Single(e => e.Id == "invite|bob@nowhere.invalid|1").State);
        Assert.Contains("ErrorInvalidRecipients", effects.Single(e => e.Id == "invite|bob@nowhere.invalid|1").LastError);
    }

    [Fact]
    public async Task Opening_the_same_round_twice_is_refused()
    {
        await using var app = await TestApp.StartAsync(TestApp.OpeningMorning);
        await app.ImportSampleRegisterAsync();
        var engine = app.Services.GetRequiredService<RoundEngine>();
        Assert.True(await engine.OpenAsync(new Quarter(2020, 1), "a"));
        Assert.False(await engine.OpenAsync(new Quarter(2020, 1), "b"));
        // Its orchestration runs once: a second start is refused, not a second set of invitations.
        Assert.False(await app.Services.GetRequiredService<RoundRunner>().StartAsync("2020-21-Q1"));
        await app.TickAsync();
        Assert.Equal(5, (await app.MailAsync()).Count);
    }

    [Fact]
    public async Task With_opening_on_schedule_off_no_round_opens_however_often_the_timer_fires()
    {
        await using var app = await TestApp.StartAsync(TestApp.BeforeQ1Opens, "Development", "--Chase:AutoOpen=false");
        await app.ImportSampleRegisterAsync();
        var engine = app.Services.GetRequiredService<RoundEngine>();
        foreach (var hours in new[] { 25, 1, 24 })
        {
            app.Clock.Advance(TimeSpan.FromHours(hours)); // past Tuesday 09:00, when 2020-21 Q1 would open
            Assert.Contains("Opening on schedule is off (Chase:AutoOpen=false)", await engine.OnScheduleAsync());
        }
        Assert.Null(await app.Services.GetRequiredService<RoundStore>().GetHeaderAsync("2020-21-Q1"));
        Assert.Null(engine.NextScheduledOpening(app.Clock.GetUtcNow())); // and the dashboard says none is coming
    }
}
