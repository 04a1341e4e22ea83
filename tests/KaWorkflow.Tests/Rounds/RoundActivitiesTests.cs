using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Rounds;

/// <summary>The leads' activities against Azurite and the local mailbox.</summary>
public sealed class RoundActivitiesTests
{
    [Fact]
    public async Task Mail_beyond_the_mailboxs_minute_is_booked_the_next_minutes_with_room_and_goes_then()
    {
        // Two e-mails a minute: of the five invitations two go at once, two are booked a minute on, one two.
        await using var app = await (await TestApp.StartAsync(TestApp.OpeningMorning, "Development",
            "--Mail:MessagesPerMinute=2")).OpenRoundAsync();
        var store = app.Services.GetRequiredService<RoundStore>();
        var opened = app.Clock.GetUtcNow();
        var waiting = (await store.LoadSnapshotAsync("2020-21-Q1"))!.Effects.Where(e => e.State == EffectState.Pending)
            .ToList();
        // Stored, so whoever reads the lead knows when each is due.
        Assert.Equal([opened.AddMinutes(1), opened.AddMinutes(1), opened.AddMinutes(2)],
            waiting.Select(e => e.NotBefore).Order());
        Assert.Equal(2, (await app.MailAsync()).Count);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.TickAsync();
        Assert.Equal(4, (await app.MailAsync()).Count);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.TickAsync();
        Assert.Equal(5, (await app.MailAsync()).Count);
    }
}
