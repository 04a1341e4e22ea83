using System.Net;
using System.Text;

namespace KaWorkflow.Web;

/// <summary>Small helpers for server-rendered pages. Every user-supplied string goes through <see cref="E"/>.</summary>
public static class Html
{
    /// <summary>HTML-encodes text (including quotes, so it is safe in attributes too).</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A complete page with the app's shared styles.</summary>
    public static string Page(string title, string body, string? extraHead = null) => $$"""
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(title)}}</title>
        <style>{{Styles}}</style>
        {{extraHead}}
        </head>
        <body>
        <a class="skip" href="#main">Skip to main content</a>
        <header class="bar"><span>KaWorkflow</span></header>
        <main id="main">
        {{body}}
        </main>
        </body>
        </html>
        """;

    /// <summary>Renders lead text: lines starting "- ", "* " or "1. " become list items, other lines paragraphs; all encoded.</summary>
    public static string Rich(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var sb = new StringBuilder();
        string? open = null;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            var (kind, content) = ListItem(line);
            if (kind != open)
            {
                if (open is not null) sb.Append($"</{open}>");
                if (kind is not null) sb.Append($"<{kind}>");
                open = kind;
            }
            if (line.Length == 0) continue;
            sb.Append(kind is null ? $"<p>{E(line)}</p>" : $"<li>{E(content)}</li>");
        }
        if (open is not null) sb.Append($"</{open}>");
        return sb.ToString();
    }

    /// <summary>Whether a line is a list item, and of which kind.</summary>
    public static (string? Kind, string Content) ListItem(string line)
    {
        if (line.StartsWith("- ") || line.StartsWith("* ")) return ("ul", line[2..].Trim());
        var dot = line.IndexOf(". ", StringComparison.Ordinal);
        if (dot is > 0 and <= 3 && line[..dot].All(char.IsAsciiDigit)) return ("ol", line[(dot + 2)..].Trim());
        return (null, line);
    }

    private const string Styles = """
        body{font-family:Arial,Helvetica,sans-serif;margin:0;color:#0b0c0c;background:#fff;font-size:19px;line-height:1.4}
        .skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fd0;padding:4px}
        .bar{background:#0b0c0c;color:#fff;padding:10px 16px;font-weight:bold}
        main{max-width:960px;margin:0 auto;padding:16px}
        h1{font-size:32px;margin:16px 0}h2{font-size:24px}
        fieldset{border:0;padding:0;margin:0 0 8px}legend{font-weight:bold}
        .activity{border-top:2px solid #b1b4b6;padding:12px 0;margin:12px 0}
        .hint{color:#505a5f;font-size:16px}.hint p,.hint ul{margin:2px 0}
        label{display:block;font-weight:bold;margin-top:8px}.radios label{display:inline-block;font-weight:normal;margin-right:16px}
        textarea{width:100%;box-sizing:border-box;font:inherit;border:2px solid #0b0c0c;min-height:6em}
        .error-summary{border:5px solid #d4351c;padding:12px;margin:12px 0}.error{color:#d4351c;font-weight:bold}
        .field-error textarea{border-color:#d4351c}
        button{font:inherit;padding:8px 16px;margin:8px 8px 8px 0;border:0;background:#00703c;color:#fff;box-shadow:0 2px 0 #002d18}
        button.secondary{background:#f3f2f1;color:#0b0c0c;box-shadow:0 2px 0 #929191}
        .notice{background:#f3f2f1;border-left:8px solid #1d70b8;padding:12px;margin:12px 0}
        table{border-collapse:collapse;width:100%}th,td{border:1px solid #b1b4b6;padding:6px;text-align:left;vertical-align:top}
        pre{white-space:pre-wrap}
        """;
}
