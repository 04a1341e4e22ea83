using KaWorkflow.Mail;

namespace KaWorkflow.Tests.Mail;

/// <summary>The small words the e-mails and pages share.</summary>
[Trait("Kind", "Pure")]
public sealed class RoundMailsWordsTests
{
    [Theory]
    [InlineData("Head of Finance", "Head of Finance's")]
    [InlineData("Head of Corporate Services", "Head of Corporate Services'")]
    [InlineData("Chris", "Chris'")]
    [InlineData(null, "")]
    public void A_possessive_takes_only_an_apostrophe_after_a_final_s(string? name, string expected) =>
        Assert.Equal(expected, RoundMails.Possessive(name));

    [Fact]
    public void Opening_a_round_says_the_invites_are_on_their_way_only_when_they_are()
    {
        var friday = new DateTimeOffset(2020, 7, 3, 17, 45, 0, TimeSpan.Zero); // 18:45 London, after the window
        var monday = new DateTimeOffset(2020, 7, 6, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal("invites are on their way.", RoundMails.InvitesGo(friday, friday));
        Assert.Equal("invites are queued for 9:00am on Monday 6 July, the next time mail may be sent.",
            RoundMails.InvitesGo(monday, friday));
        Assert.Equal("invites are on their way.", RoundMails.InvitesGo(friday.AddSeconds(30), friday));
    }
}
