using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Rounds;

/// <summary>The leads' activities against Azurite and the local mailbox.</summary>
public sealed class RoundActivitiesTests
{
    [Fact]
    public async Task Mail_beyond_the_mailboxs_minute_is_put_off_to_when_the_minute_has_room_and_goes_then()
    {
        // Two e-mails a minute: of the five invitations two go at once, and three wait.
        await using var app = await (await TestApp.StartAsync(TestApp.OpeningMorning, "Development",
            "--Mail:MessagesPerMinute=2")).OpenRoundAsync();
        var store = app.Services.GetRequiredService<RoundStore>();
        var waiting = (await store.LoadSnapshotAsync("2020-21-Q1"))!.Effects.Where(e => e.State == EffectState.Pending)
            .ToList();
        Assert.Equal(3, waiting.Count);
        Assert.All(waiting, e => Assert.Equal(app.Clock.GetUtcNow().AddMinutes(1), e.NotBefore)); // stored, so read
        Assert.Equal(2, (await app.MailAsync()).Count);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.TickAsync();
        Assert.Equal(4, (await app.MailAsync()).Count);
    }
}
