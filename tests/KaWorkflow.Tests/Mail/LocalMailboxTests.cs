using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Mail;

/// <summary>The local mailbox page, as a developer or a council officer rehearsing a quarter reads it.</summary>
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
}
