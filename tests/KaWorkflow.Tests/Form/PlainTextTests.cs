using KaWorkflow.Form;

namespace KaWorkflow.Tests.Form;

/// <summary>Answers pasted from Word or a web page, as the form receives them, and the plain text they become.</summary>
[Trait("Kind", "Pure")]
public sealed class PlainTextTests
{
    [Fact]
    public void Paragraphs_become_lines_and_list_items_become_dash_lines()
    {
        var pasted = "<p class=\"MsoNormal\">Budget agreed.</p><ul style=\"margin-top:0\"><li>Hire two officers</li>" +
                     "<li>Open the <b>new</b> hub</li></ul><p>Next&nbsp;review &amp; sign-off.</p>";
        Assert.Equal("Budget agreed.\n\n- Hire two officers\n- Open the new hub\nNext review & sign-off.",
            PlainText.FromPasted(pasted));
    }

    [Fact]
    public void Word_comments_spans_and_breaks_are_dropped_or_made_lines()
    {
        var pasted = "<!--[if gte mso 9]><xml>x</xml><![endif]--><span style=\"font-size:11pt\">Line one<br>Line two</span>";
        Assert.Equal("Line one\nLine two", PlainText.FromPasted(pasted));
    }

    [Theory]
    [InlineData("Spend < budget, and 3 > 2")]
    [InlineData("Use <angle brackets> when quoting")]
    [InlineData("- already a list\n- of two")]
    public void Text_without_markup_is_kept_exactly_as_typed(string typed) =>
        Assert.Equal(typed, PlainText.FromPasted(typed));

    [Fact]
    public void Markup_that_is_only_formatting_leaves_nothing_to_save() =>
        Assert.Null(FormValidation.Clean("<p>&nbsp;</p><br>"));
}
