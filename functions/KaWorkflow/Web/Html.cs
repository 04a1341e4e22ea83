using System.Net;
using System.Text;

namespace KaWorkflow.Web;

/// <summary>Helpers for HTML written as strings (the HTML report). Every user-supplied string goes through <see
/// cref="E"/>.</summary>
public static class Html
{
    /// <summary>HTML-encodes text (including quotes, so it is safe in attributes too).</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>Renders lead text as <see cref="LeadText"/> reads it, every line encoded: for the HTML report, which
    /// is written as a string.</summary>
    public static string Rich(string? text)
    {
        var sb = new StringBuilder();
        foreach (var block in LeadText.Blocks(text))
        {
            if (block.Kind == "p")
            {
                sb.Append($"<p class=\"govuk-body\">{E(block.Lines[0])}</p>");
                continue;
            }
            sb.Append(block.Kind == "ul" ? "<ul class=\"govuk-list govuk-list--bullet\">" : "<ol class=\"govuk-list govuk-list--number\">");
            foreach (var line in block.Lines) sb.Append($"<li>{E(line)}</li>");
            sb.Append($"</{block.Kind}>");
        }
        return sb.ToString();
    }
}
