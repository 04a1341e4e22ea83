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
    public async Task New_mail_at_the_current_instant_comes_once_the_clock_has_moved_on_and_only_once()
    {
        await using var app = await TestApp.StartAsync();
        var (sender, mailbox) = (app.Services.GetRequiredService<GraphMailSender>(),
            app.Services.GetRequiredService<LocalMailbox>());
        await sender.SendAsync(Mail(1), default);
        var (first, cursor) = await mailbox.ListSinceAsync(null);
        Assert.Empty(first); // another message may yet be stored at this instant with an earlier key

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        (first, cursor) = await mailbox.ListSinceAsync(cursor);
        Assert.Equal(["ref-1"], first.Select(m => m.Reference));
        await sender.SendAsync(Mail(2), default);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var (second, _) = await mailbox.ListSinceAsync(cursor);
        Assert.Equal(["ref-2"], second.Select(m => m.Reference));
    }

    [Fact]
    public async Task A_reader_of_new_mail_misses_none_and_sees_none_twice_while_many_are_stored_side_by_side()
    {
        await using var app = await TestApp.StartAsync();
        var (sender, mailbox) = (app.Services.GetRequiredService<GraphMailSender>(),
            app.Services.GetRequiredService<LocalMailbox>());
        var sending = Task.WhenAll(Enumerable.Range(0, 30).Select(n => sender.SendAsync(Mail(n), default)));
        var seen = new List<string?>();
        string? cursor = null;
        while (true)
        {
            var done = sending.IsCompleted;
            app.Clock.Advance(TimeSpan.FromMilliseconds(1)); // business time moving on as the messages go
            var (fresh, next) = await mailbox.ListSinceAsync(cursor);
            seen.AddRange(fresh.Select(m => m.Reference));
            cursor = next;
            if (done) break;
        }
        await sending;
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        seen.AddRange((await mailbox.ListSinceAsync(cursor)).Messages.Select(m => m.Reference));
        Assert.Equal(Enumerable.Range(0, 30).Select(n => $"ref-{n}").Order(), seen.Order());
    }
}
