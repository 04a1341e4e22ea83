using KaWorkflow.Mail;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Mail;

/// <summary>The local mailbox, as a developer or a council officer rehearsing a quarter reads it, and as the
/// simulated leads read their new mail.</summary>
public sealed class LocalMailboxTests
{
    [Fact]
    public async Task Messages_show_when_they_arrived_in_london_time_in_uk_form()
    {
        await using var app = await TestApp.WithOpenRoundAsync(); // invites sent on Tuesday 7 July 2020, 10:00 BST
        var page = await app.Http.GetStringAsync("/dev/mailbox");
        Assert.Contains("Tue 7 Jul 10:00", page);
        Assert.DoesNotContain("UTC", page);
    }

    private static OutgoingMail Mail(int n) =>
        new([$"lead{n}@council.example"], [], $"Message {n}", "Body", $"ref-{n}");

    [Fact]
    public async Task New_mail_comes_at_once_and_only_once_while_the_clock_stands_still()
    {
        // A rehearsal's clock stands still while it waits for the app's work: the simulated leads must see the
        // invitations sent meanwhile, or they answer days late (they did, once the rehearsal skipped idle time).
        await using var app = await TestApp.StartAsync();
        var (sender, mailbox) = (app.Services.GetRequiredService<GraphMailSender>(),
            app.Services.GetRequiredService<LocalMailbox>());
        await sender.SendAsync(Mail(1), default);
        var (first, cursor) = await mailbox.ListSinceAsync(null);
        Assert.Equal(["ref-1"], first.Select(m => m.Reference));
        await sender.SendAsync(Mail(2), default);
        var (second, next) = await mailbox.ListSinceAsync(cursor);
        Assert.Equal(["ref-2"], second.Select(m => m.Reference));
        Assert.Empty((await mailbox.ListSinceAsync(next)).Messages);
    }

    [Fact]
    public async Task A_reader_of_new_mail_misses_none_and_sees_none_twice_while_many_are_stored_side_by_side()
    {
        // 200 at one instant: a message accepted while a listing's query runs must not land behind its cursor (one
        // in 300 leads never saw their invitation when it could).
        await using var app = await TestApp.StartAsync(null, "Development", "--Hosting:LocalMailboxPerMinute=100000");
        var (sender, mailbox) = (app.Services.GetRequiredService<GraphMailSender>(),
            app.Services.GetRequiredService<LocalMailbox>());
        var sending = Task.WhenAll(Enumerable.Range(0, 200).Select(n => sender.SendAsync(Mail(n), default)));
        var seen = new List<string?>();
        string? cursor = null;
        while (true)
        {
            var done = sending.IsCompleted; // the clock standing still, as a rehearsal's does while it waits
            var (fresh, next) = await mailbox.ListSinceAsync(cursor);
            seen.AddRange(fresh.Select(m => m.Reference));
            cursor = next;
            if (done) break;
        }
        await sending;
        seen.AddRange((await mailbox.ListSinceAsync(cursor)).Messages.Select(m => m.Reference));
        Assert.Equal(Enumerable.Range(0, 200).Select(n => $"ref-{n}").Order(), seen.Order());
    }
}
