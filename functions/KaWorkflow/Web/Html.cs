using System.Net;
using System.Text;

namespace KaWorkflow.Web;

/// <summary>Small helpers for server-rendered pages. Every user-supplied string goes through <see cref="E"/>.</summary>
public static class Html
{
    /// <summary>HTML-encodes text (including quotes, so it is safe in attributes too).</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A complete page in the GOV.UK Design System's template, with the app's own header (not GOV.UK's crown).</summary>
    /// <param name="title">The page's title; an error state prefixes "Error: " as the Design System asks.</param>
    /// <param name="navigation">Optional links shown in the header (the dashboard's sections).</param>
    public static string Page(string title, string body, bool error = false, string? navigation = null) => $$"""
        <!DOCTYPE html>
        <html lang="en-GB" class="govuk-template">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
        <meta name="robots" content="noindex, nofollow">
        <title>{{(error ? "Error: " : "")}}{{E(title)}} – Key Activity updates</title>
        <link rel="stylesheet" href="/api/assets/govuk-frontend.css">
        <link rel="stylesheet" href="/api/assets/ka.css">
        </head>
        <body class="govuk-template__body">
        <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
        <header class="ka-header" role="banner"><div class="govuk-width-container"><span class="govuk-body govuk-!-margin-0 ka-brand">KaWorkflow<span class="ka-service">Key Activity updates</span></span>{{navigation}}</div></header>
        <div class="govuk-width-container">
        <main class="govuk-main-wrapper" id="main-content">
        {{body}}
        </main>
        </div>
        <footer class="govuk-footer"><div class="govuk-width-container"><p class="govuk-body-s">Key Activity updates for the council's corporate plan.</p></div></footer>
        <script type="module" src="/api/assets/ka.js"></script>
        </body>
        </html>
        """;

    /// <summary>The GOV.UK date input: day, month and year boxes in a fieldset, with the typed values and any error
    /// shown again. The boxes are named <c>{name}-day</c>, <c>{name}-month</c> and <c>{name}-year</c>.</summary>
    public static string DateInput(string id, string name, string legend, string hint, DateField? value)
    {
        var error = value?.Error;
        var sb = new StringBuilder($"""<div class="govuk-form-group{(error is null ? "" : " govuk-form-group--error")}">""");
        sb.Append($"""<fieldset class="govuk-fieldset" role="group" aria-describedby="{id}-hint{(error is null ? "" : $" {id}-error")}">""");
        sb.Append($"""<legend class="govuk-fieldset__legend">{E(legend)}</legend><div class="govuk-hint" id="{id}-hint">{E(hint)}</div>""");
        if (error is not null)
            sb.Append($"""<p id="{id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {E(error)}</p>""");
        sb.Append($"""<div class="govuk-date-input" id="{id}">""");
        foreach (var (part, label, width, typed) in new[]
                 { ("day", "Day", 2, value?.Day), ("month", "Month", 2, value?.Month), ("year", "Year", 4, value?.Year) })
        {
            var errorClass = error is null ? "" : " govuk-input--error";
            sb.Append($"""<div class="govuk-date-input__item"><div class="govuk-form-group">""");
            sb.Append($"""<label class="govuk-label govuk-date-input__label" for="{id}-{part}">{label}</label>""");
            sb.Append($"""<input class="govuk-input govuk-date-input__input govuk-input--width-{width}{errorClass}" """);
            sb.Append($"""id="{id}-{part}" name="{name}-{part}" type="text" inputmode="numeric" value="{E(typed)}">""");
            sb.Append("</div></div>");
        }
        return sb.Append("</div></fieldset></div>").ToString();
    }

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
                if (kind is not null) sb.Append(kind == "ul" ? "<ul class=\"govuk-list govuk-list--bullet\">" : "<ol class=\"govuk-list govuk-list--number\">");
                open = kind;
            }
            if (line.Length == 0) continue;
            sb.Append(kind is null ? $"<p class=\"govuk-body\">{E(line)}</p>" : $"<li>{E(content)}</li>");
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
}
