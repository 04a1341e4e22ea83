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
}
