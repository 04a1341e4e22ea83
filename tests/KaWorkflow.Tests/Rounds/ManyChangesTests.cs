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
[Collection(Heavy.Name)]
public sealed class ManyChangesTests
{
    private const string RoundId = "2020-21-Q1";

    [Theory]
    [InlineData(Engine.Local)]
    [InlineData(Engine.InProcess)]
    public async Task Thirty_delegate_changes_then_a_resend_still_bring_the_lead_their_new_link(Engine engine)
    {
        // Forty e-mails in a minute: Exchange's pacing is not what this is about.
        await using var app = await TestApp.StartAsync(engine, TestApp.OpeningMorning,
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
                [new("delegateName", $"Dee Puty {(char)('A' + i / 26)}{(char)('a' + i % 26)}"), // names hold no digits
                    new("delegateEmail", $"dee.puty{i}@council.example")]);
            Assert.Equal(HttpStatusCode.SeeOther, named.StatusCode);
            await Eventually.TrueAsync(async () => (await app.MailAsync()).Any(m =>
                m.To.Contains($"dee.puty{i}@council.example")), $"delegate {i}'s invitation");
        }

        var resent = await app.ActAsync(RoundId, ActionNames.Resend, new { reason = "Lost it", lead = SampleLeads.Finance });
        Assert.True(resent.IsSuccessStatusCode, await resent.Content.ReadAsStringAsync());
        var arrived = await Eventually.WithinAsync(async () => await app.LinkForAsync(SampleLeads.Finance) != link);
        FaultLedger.Record($"30 changes on a long timer, then a resend ({engine})", arrived ? 0 : 1);
        Assert.True(arrived, "the new link never arrived");
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(await app.LinkForAsync(SampleLeads.Finance))).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await app.Http.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task A_thousand_changes_to_one_lead_keep_their_history_short_and_the_round_still_completes()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var runner = app.Services.GetRequiredService<RoundRunner>();
        var engine = app.Services.GetRequiredService<KaWorkflow.Hosting.LocalDurableEngine>();
        var reads = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (i, l) => { if (i == RoundActivities.LeadReads) l.EnableMeasurementEvents(i); };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Value as string == SampleLeads.Finance) Interlocked.Increment(ref reads);
        });
        listener.Start();

        // The lead's changes, as the form and the performance team raise them, a few at a time.
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (_, ct) => await runner.TellAsync(RoundId, [SampleLeads.Finance], ct: ct));
        await app.SettleAsync();
        var lead = Orchestrations.LeadInstanceId(RoundId, SampleLeads.Finance);
        Assert.InRange(reads, 1, 250); // changes that came together were taken in by one read
        Assert.InRange(await engine.HistoryLengthAsync(lead), 1, 400); // it continued as new as it went

        foreach (var l in SampleLeads.All) await app.SubmitAllAsync(l);
        await app.RunUntilAsync(app.Clock.GetUtcNow().AddHours(1));
        var round = (await app.Services.GetRequiredService<RoundStore>().LoadSnapshotAsync(RoundId))!;
        FaultLedger.Record("1,000 changes to one lead", round.Returns.Count(r => r.Status != ReturnStatus.Submitted));
        Assert.Equal(RoundStatus.Complete, round.Header.Status);
        Assert.Single(await app.MailAsync(), m => m.Subject.StartsWith("Key Activity report ready"));
    }
}
