using System.Net;
using KaWorkflow.Demo;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Rounds;

/// <summary>
/// A round on the real clock, asleep on a long durable timer, taking many changes from one lead: it must act on
/// every one of them, however many came before.
/// </summary>
public sealed class ManyChangesTests
{
    private const string RoundId = "2020-21-Q1";

    [Fact]
    public async Task Thirty_delegate_changes_then_a_resend_still_bring_the_lead_their_new_link()
    {
        // Forty e-mails in a minute: Exchange's pacing is not what this is about.
        await using var app = await TestApp.StartAsync(TestApp.OpeningMorning, "Development",
            "--Mail:MessagesPerMinute=60", "--Hosting:LocalMailboxPerMinute=60");
        app.Clock.RunScaled(TestApp.OpeningMorning, 1); // the real clock: the round sleeps until its first reminder
        await app.ImportSampleRegisterAsync();
        await app.Services.GetRequiredService<RoundEngine>().OpenAsync(new Quarter(2020, 1), "test");
        await Eventually.TrueAsync(async () => (await app.MailAsync()).Count == SampleLeads.All.Count, "the invites");

        var link = await app.LinkForAsync(SampleLeads.Finance);
        for (var i = 1; i <= 30; i++)
        {
            var shown = await FormClient.OpenAsync(app.Http, link);
            var named = await FormClient.PostAsync(app.Http, link + "/delegate", shown,
                [new("delegateName", $"Dee Puty {i}"), new("delegateEmail", $"dee.puty{i}@council.example")]);
            Assert.Equal(HttpStatusCode.SeeOther, named.StatusCode);
            await Eventually.TrueAsync(async () => (await app.MailAsync()).Any(m =>
                m.To.Contains($"dee.puty{i}@council.example")), $"delegate {i}'s invitation");
        }

        var resent = await app.ActAsync(RoundId, ActionNames.Resend, new { reason = "Lost it", lead = SampleLeads.Finance });
        Assert.True(resent.IsSuccessStatusCode, await resent.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(async () => await app.LinkForAsync(SampleLeads.Finance) != link, "the new link");
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(await app.LinkForAsync(SampleLeads.Finance))).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await app.Http.GetAsync(link)).StatusCode);
    }
}
