using System.Net;
using System.Text.RegularExpressions;

namespace KaWorkflow.Form;

/// <summary>
/// Text pasted from Word or a web page can arrive as HTML (<c>&lt;p&gt;</c>, <c>&lt;ul style=…&gt;&lt;li&gt;</c>).
/// On save it becomes plain text: paragraphs and breaks become lines, list items become "- " lines, every other tag
/// is dropped and entities are decoded. Text without markup is left exactly as typed.
/// </summary>
public static partial class PlainText
{
    /// <summary>
    /// Whether the text carries pasted HTML: paragraphs, lists, breaks, tables, or Word's styled spans. Tags typed on
    /// their own (<c>&lt;b&gt;</c>, <c>&lt;script&gt;</c>) are left as the lead wrote them, shown safely as text.
    /// </summary>
    public static bool HasMarkup(string text) => Tag().IsMatch(text);

    public static string FromPasted(string text)
    {
        if (!HasMarkup(text)) return text;
        var s = Comment().Replace(text, "");
        s = Break().Replace(s, "\n");
        s = ListItem().Replace(s, "\n- ");
        s = BlockEnd().Replace(s, "\n");
        s = AnyTag().Replace(s, "");
        s = WebUtility.HtmlDecode(s).Replace('\u00a0', ' ');
        var lines = s.Replace("\r\n", "\n").Split('\n').Select(l => Spaces().Replace(l, " ").Trim());
        return BlankRuns().Replace(string.Join('\n', lines), "\n\n").Trim();
    }

    [GeneratedRegex(@"</?(p|div|br|ul|ol|li|table|tr|td|h[1-6]|o:p)(\s[^>]*)?/?>|<span\s+(style|class)=|<!--\[if",
        RegexOptions.IgnoreCase)]
    private static partial Regex Tag();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex Break();

    [GeneratedRegex(@"<li(\s[^>]*)?>", RegexOptions.IgnoreCase)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"</(p|div|ul|ol|tr|h[1-6])\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankRuns();
}
