using System.Net;
using System.Text.RegularExpressions;

namespace KaWorkflow.Demo;

/// <summary>What a shown form sends back besides the lead's answers: its anti-forgery token and save ticket.</summary>
public sealed record ShownForm(string AntiforgeryToken, string? Ticket);

/// <summary>
/// Uses a lead's form over HTTP as a browser does: reads the page for its hidden fields (the anti-forgery token and
/// the save ticket; the cookie travels in the client's cookie container) and posts them with the answers. The demo's
/// simulated leads, the benchmarks and the tests use it.
/// </summary>
public static partial class FormClient
{
    /// <summary>Opens the form and returns the hidden fields its page carries.</summary>
    public static async Task<ShownForm> OpenAsync(HttpClient http, string link, CancellationToken ct = default)
    {
        using var page = await http.GetAsync(link, ct);
        if (!page.IsSuccessStatusCode) throw new InvalidOperationException($"The form at {link} answered {(int)page.StatusCode}.");
        var html = await page.Content.ReadAsStringAsync(ct);
        var token = TokenIn(html) ?? throw new InvalidOperationException($"The form at {link} has no anti-forgery token.");
        return new ShownForm(token, Hidden(html, Form.SaveTickets.Field));
    }

    /// <summary>Posts fields to the form (or one of its actions) with the page's hidden fields, as its own form would.
    /// A field given in <paramref name="fields"/> is sent as given instead.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string url, ShownForm shown,
        IEnumerable<KeyValuePair<string, string>> fields, CancellationToken ct = default)
    {
        var all = fields.ToList();
        all.Add(new("__RequestVerificationToken", shown.AntiforgeryToken));
        if (shown.Ticket is { } ticket && all.All(f => f.Key != Form.SaveTickets.Field))
            all.Add(new(Form.SaveTickets.Field, ticket));
        return http.PostAsync(url, new FormUrlEncodedContent(all), ct);
    }

    /// <summary>Opens the form, then posts to it.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, string link,
        IEnumerable<KeyValuePair<string, string>> fields, CancellationToken ct = default) =>
        await PostAsync(http, link, await OpenAsync(http, link, ct), fields, ct);

    /// <summary>The anti-forgery token in a page, if it has one.</summary>
    public static string? TokenIn(string html) => Hidden(html, "__RequestVerificationToken");

    /// <summary>A hidden field's value in a page, if it has one.</summary>
    public static string? Hidden(string html, string name) =>
        HiddenField().Matches(html).FirstOrDefault(m => m.Groups[1].Value == name) is { } m
            ? WebUtility.HtmlDecode(m.Groups[2].Value) : null;

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();
}
