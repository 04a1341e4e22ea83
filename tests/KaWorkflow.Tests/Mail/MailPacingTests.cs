using KaWorkflow.Demo;
using KaWorkflow.Mail;
using KaWorkflow.Register;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Mail;

/// <summary>Exchange's 30 messages a minute per mailbox, held across instances of the app, and a throttling storm
/// sat out.</summary>
[Collection(Heavy.Name)]
public sealed class MailPacingTests
{
    private const string RoundId = "2020-21-Q1";

    [Fact]
    public async Task Two_instances_sending_through_one_mailbox_never_send_more_than_thirty_in_any_minute()
    {
        await using var one = await TestApp.StartAsync(TestApp.OpeningMorning);
        await using var two = await one.StartAnotherInstanceAsync();
        await one.Services.GetRequiredService<RegisterStore>().ReplaceAsync(SyntheticRegister.Create(70, 70));
        await one.Services.GetRequiredService<RoundEngine>().OpenAsync(new Quarter(2020, 1), "test");
        for (var minute = 0; minute < 10 && (await one.MailAsync()).Count < 70; minute++)
        {
            await Task.WhenAll(one.TickAsync(), two.TickAsync());
            one.Clock.Advance(TimeSpan.FromMinutes(1));
            two.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var sent = (await one.MailAsync()).Select(m => m.ReceivedAt).Order().ToList();
        Assert.Equal(70, sent.Count);
        var busiest = sent.Max(from => sent.Count(at => at >= from && at < from.AddMinutes(1)));
        Assert.InRange(busiest, 1, 30);
        var mailOne = one.Services.GetRequiredService<LocalMailbox>();
        var mailTwo = two.Services.GetRequiredService<LocalMailbox>();
        Assert.True(mailOne.Accepted > 0 && mailTwo.Accepted > 0, "both instances sent");
        Assert.Equal(0, mailOne.Throttled + mailTwo.Throttled); // Exchange would never have had to say no
    }

    [Fact]
    public async Task A_throttling_storm_puts_the_mail_off_until_it_passes_and_fails_nothing()
    {
        var storm = TestApp.OpeningMorning.AddMinutes(4);
        await using var app = await TestApp.StartAsync(TestApp.OpeningMorning, "Development",
            $"--Hosting:LocalMailboxThrottledUntil={storm:O}");
        await app.OpenRoundAsync();
        Assert.Empty(await app.MailAsync());
        var store = app.Services.GetRequiredService<RoundStore>();
        Assert.All((await store.LoadSnapshotAsync(RoundId))!.Effects, e =>
            Assert.Equal((EffectState.Pending, 0), (e.State, e.Attempts))); // put off, not counted against them

        await app.RunUntilAsync(storm.AddMinutes(5));
        var mail = await app.MailAsync();
        var round = (await store.LoadSnapshotAsync(RoundId))!;
        var lost = SampleLeads.All.Count(lead => !mail.Any(m => m.To.Contains(lead)));
        FaultLedger.Record("Graph 429 storm", lost);
        Assert.Equal(0, lost);
        Assert.All(mail, m => Assert.True(m.ReceivedAt >= storm));
        Assert.All(round.Effects, e => Assert.Equal(EffectState.Done, e.State));
        Assert.True(app.Services.GetRequiredService<LocalMailbox>().Throttled >= SampleLeads.All.Count);
    }
}
