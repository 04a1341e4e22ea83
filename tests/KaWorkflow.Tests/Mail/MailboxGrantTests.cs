using KaWorkflow.Mail;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Mail;

/// <summary>
/// The first round after deployment, before the Exchange mailbox grant has taken effect: Graph answers 403 (the local
/// mailbox does as Graph does, through the real Graph SDK), and the invitations wait instead of being given up.
/// </summary>
public sealed class MailboxGrantTests
{
    private static readonly DateTimeOffset GrantWorks = Times.London(7, 7, 12);

    [Fact]
    public async Task Invitations_refused_with_403_are_held_shown_on_the_dashboard_and_sent_once_the_grant_works()
    {
        await using var app = await TestApp.WithOpenRoundAsync(null, $"--Hosting:LocalMailboxDeniedUntil={GrantWorks:O}");
        Assert.Empty(await app.MailAsync());
        var round = (await app.Services.GetRequiredService<RoundStore>().LoadSnapshotAsync("2020-21-Q1"))!;
        Assert.All(round.Effects.Where(e => e.Kind == EffectKind.Invite), e =>
        {
            Assert.Equal(EffectState.Pending, e.State); // held, not parked
            Assert.StartsWith("Held: Graph does not yet let this app send", e.LastError);
        });
        var page = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/dashboard/rounds/2020-21-Q1"));
        Assert.Contains("5 e-mails held", await page.Content.ReadAsStringAsync());

        await app.RunUntilAsync(GrantWorks.AddMinutes(30));
        var mail = await app.MailAsync();
        FaultLedger.Record("Graph 403 before the mailbox grant", 5 - mail.Select(m => m.Reference).Distinct().Count());
        Assert.Equal(5, mail.Count);
        Assert.Equal(5, mail.Select(m => m.Reference).Distinct().Count());
        Assert.All(mail, m => Assert.InRange(m.ReceivedAt, GrantWorks, GrantWorks.Add(EffectDispatcher.HeldRetry)));
    }

    [Fact]
    public async Task The_graph_sdk_reports_a_403_as_mail_not_allowed_yet()
    {
        await using var app = await TestApp.StartAsync(TestApp.OpeningMorning, "Development",
            $"--Hosting:LocalMailboxDeniedUntil={GrantWorks:O}");
        var sender = app.Services.GetRequiredService<GraphMailSender>();
        var refused = await Assert.ThrowsAsync<MailNotAllowedYet>(() => sender.SendAsync(
            new OutgoingMail(["a@council.example"], [], "Subject", "Body"), CancellationToken.None));
        Assert.Contains("403", refused.Message);
    }
}
