using KaWorkflow.Web;

namespace KaWorkflow.Tests.Web;

/// <summary>A lead's text as paragraphs and lists, as typed or pasted.</summary>
[Trait("Kind", "Pure")]
public sealed class LeadTextTests
{
    [Theory]
    [InlineData("- Recruit two officers")]
    [InlineData("* Recruit two officers")]
    [InlineData("• Recruit two officers")]
    [InlineData("– Recruit two officers")]
    [InlineData("• - Recruit two officers")]
    [InlineData("- - Recruit two officers")]
    public void A_bulleted_line_is_one_list_item_whatever_markers_it_was_pasted_with(string line)
    {
        var block = Assert.Single(LeadText.Blocks(line));
        Assert.Equal("ul", block.Kind);
        Assert.Equal(["Recruit two officers"], block.Lines);
    }

    [Fact]
    public void Paragraphs_numbered_and_bulleted_lines_keep_their_order()
    {
        var blocks = LeadText.Blocks("On track.\n1. Consult\n2. Decide\n- Publish\n-5% on last year");

        Assert.Equal(["p", "ol", "ul", "p"], blocks.Select(b => b.Kind));
        Assert.Equal(["Consult", "Decide"], blocks[1].Lines);
        Assert.Equal("-5% on last year", blocks[3].Lines[0]); // a minus sign, not a bullet
    }
}
