using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Rounds;

/// <summary>A turn's effects, run as one activity against Azurite and the local mailbox.</summary>
public sealed class RoundActivitiesTests
{
    [Fact]
    public async Task Mail_beyond_the_mailboxs_minute_waits_for_a_later_turn_without_a_storage_request()
    {
        // Two e-mails a minute: of the five invitations the round sends two, and three wait.
        await using var app = await (await TestApp.StartAsync(TestApp.OpeningMorning, "Development",
            "--Mail:MessagesPerMinute=2")).OpenRoundAsync();
        var store = app.Services.GetRequiredService<RoundStore>();
        var waiting = (await store.LoadSnapshotAsync("2020-21-Q1"))!.Effects
            .Where(e => e.State == EffectState.Pending).Select(e => e.Id).ToList();
        Assert.Equal(3, waiting.Count);

        var (activities, meter) = (app.Services.GetRequiredService<RoundActivities>(),
            app.Services.GetRequiredService<StorageMeter>());
        var before = meter.RequestCount;
        var results = await activities.RunEffectsAsync(new EffectBatch("2020-21-Q1", waiting));
        Assert.Equal(before, meter.RequestCount); // this minute is full: nothing read, nothing sent
        Assert.All(results, r => Assert.Equal((false, app.Clock.GetUtcNow().AddMinutes(1)), (r.Finished, r.RetryAt)));

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        results = await activities.RunEffectsAsync(new EffectBatch("2020-21-Q1", waiting));
        Assert.Equal(2, results.Count(r => r.Finished));
        Assert.Equal(4, (await app.MailAsync()).Count);
    }
}
