namespace KaWorkflow.Web;

/// <summary>
/// A lead's text as blocks: lines starting "- ", "* ", "• " or "– " become a bulleted list, "1. " a numbered one,
/// other lines paragraphs. The pages and the HTML report show it so; the text itself stays plain.
/// </summary>
public static class LeadText
{
    /// <summary>One paragraph (<c>p</c>) or list (<c>ul</c>, <c>ol</c>) and its lines.</summary>
    public sealed record Block(string Kind, IReadOnlyList<string> Lines);

    public static List<Block> Blocks(string? text)
    {
        var blocks = new List<Block>();
        if (string.IsNullOrWhiteSpace(text)) return blocks;
        List<string>? list = null;
        string? open = null;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            var (kind, content) = ListItem(line);
            if (kind != open || kind is null) (list, open) = (null, kind);
            if (line.Length == 0) continue;
            if (kind is null)
            {
                blocks.Add(new Block("p", [line]));
                continue;
            }
            if (list is null) blocks.Add(new Block(kind, list = []));
            list.Add(content);
        }
        return blocks;
    }

    /// <summary>Whether a line is a list item, and of which kind.</summary>
    /// <remarks>Text pasted from a document may carry its own bullet ("•", "–") before or instead of "- ": every
    /// marker at the start goes, so the item never prints as "• - ".</remarks>
    public static (string? Kind, string Content) ListItem(string line)
    {
        if (Bulleted(line))
        {
            while (Bulleted(line)) line = line[2..].TrimStart();
            return ("ul", line.Trim());
        }
        var dot = line.IndexOf(". ", StringComparison.Ordinal);
        if (dot is > 0 and <= 3 && line[..dot].All(char.IsAsciiDigit)) return ("ol", line[(dot + 2)..].Trim());
        return (null, line);
    }

    private static bool Bulleted(string line) =>
        line.Length >= 2 && line[1] == ' ' && line[0] is '-' or '*' or '•' or '–';
}
