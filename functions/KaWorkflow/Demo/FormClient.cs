using System.Net;
using System.Text.RegularExpressions;

namespace KaWorkflow.Demo;

/// <summary>
/// Uses a lead's form over HTTP as a browser does: reads the page for its anti-forgery token (the cookie travels in
/// the client's cookie container) and posts the fields with it. The demo's simulated leads and the tests use it.
/// </summary>
public static partial class FormClient
{
    /// <summary>Opens the form and returns the anti-forgery token its page carries.</summary>
    public static async Task<string> OpenAsync(HttpClient http, string link, CancellationToken ct = default)
    {
        using var page = await http.GetAsync(link, ct);
        if (!page.IsSuccessStatusCode) throw new InvalidOperationException($"The form at {link} answered {(int)page.StatusCode}.");
        return TokenIn(await page.Content.ReadAsStringAsync(ct)) ?? throw new InvalidOperationException($"The form at {link} has no anti-forgery token.");
    }

    /// <summary>Posts fields to the form (or one of its actions) with the token, as the page's own form would.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string url, string token, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken ct = default) =>
        http.PostAsync(url, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))), ct);

    /// <summary>Opens the form, then posts to it.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, string link, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken ct = default) =>
        await PostAsync(http, link, await OpenAsync(http, link, ct), fields, ct);

    /// <summary>The anti-forgery token in a page, if it has one.</summary>
    public static string? TokenIn(string html) => Token().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
