using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using KaWorkflow.Demo;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Storage;

/// <summary>Pages and POSTs other than the save, met by a storage that hangs or refuses: a clear page within the
/// deadline, with <c>Retry-After</c>, and what was typed kept.</summary>
public sealed partial class StorageDeadlineTests
{
    private const string RoundId = "2020-21-Q1", Lead = "co.finance@council.example";

    /// <summary>The deadline (8 s) and a second, well away from the SDK's three tries of 20 s each.</summary>
    private static readonly TimeSpan WellWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_form_link_and_the_dashboard_opened_while_storage_hangs_say_so_with_retry_after()
    {
        await using var gate = new TcpGate(Azurite.Instance.TablePort);
        await using var app = await TestApp.WithOpenRoundBehindAsync(gate);
        var link = await app.LinkForAsync(Lead);

        gate.Freeze();
        var clock = Stopwatch.StartNew();
        var form = await app.Http.GetAsync(link);
        var dashboard = await app.Http.SendAsync(
            app.AsPerformanceTeam(HttpMethod.Get, $"/api/dashboard/rounds/{RoundId}"));
        var api = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, $"/api/admin/rounds/{RoundId}"));
        var waited = clock.Elapsed;
        gate.Open();

        foreach (var page in new[] { form, dashboard })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Equal("30", page.Headers.GetValues("Retry-After").Single());
            Assert.True(page.Headers.Contains("Content-Security-Policy"), "the security headers stay");
            Assert.Contains("could not reach its storage", await page.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.True(waited < 3 * WellWithin, $"three requests took {waited.TotalSeconds:F1} s");
        FaultLedger.Record("storage frozen on a page load", 0);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(link)).StatusCode); // and back once it answers
    }

    [Fact]
    public async Task A_form_link_opened_while_storage_refuses_connections_says_so_at_once()
    {
        await using var gate = new TcpGate(Azurite.Instance.TablePort);
        await using var app = await TestApp.WithOpenRoundBehindAsync(gate);
        var link = await app.LinkForAsync(Lead);

        gate.Shut();
        var page = await app.Http.GetAsync(link);
        gate.Open();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Contains("Try again in a minute", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_delegate_named_while_storage_hangs_comes_back_typed_and_is_named_when_sent_again()
    {
        await using var gate = new TcpGate(Azurite.Instance.TablePort);
        await using var app = await TestApp.WithOpenRoundBehindAsync(gate);
        var link = await app.LinkForAsync(Lead);
        var shown = await FormClient.OpenAsync(app.Http, link);

        gate.Freeze();
        var clock = Stopwatch.StartNew();
        var refused = await FormClient.PostAsync(app.Http, link + "/delegate", shown,
            [new("delegateName", "Sam O'Neil"), new("delegateEmail", "sam.oneil@council.example")]);
        var waited = clock.Elapsed;
        var page = await refused.Content.ReadAsStringAsync();
        gate.Open();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(waited < WellWithin, $"the delegate POST took {waited.TotalSeconds:F1} s");
        var again = Inputs(page);
        FaultLedger.Record("storage frozen on a delegate POST",
            FaultLedger.Missing(again.GetValueOrDefault("delegateName"), "Sam O'Neil")
            + FaultLedger.Missing(again.GetValueOrDefault("delegateEmail"), "sam.oneil@council.example"));
        Assert.Equal("Sam O'Neil", again["delegateName"]);
        Assert.Equal("sam.oneil@council.example", again["delegateEmail"]);
        Assert.Contains($"action=\"{new Uri(link).AbsolutePath}/delegate\"", page);

        // The page's button sends the same fields again, its anti-forgery token among them.
        var sent = await app.Http.PostAsync(link + "/delegate", new FormUrlEncodedContent(again));
        Assert.Equal(HttpStatusCode.SeeOther, sent.StatusCode);
        var stored = await app.Services.GetRequiredService<RoundStore>().LoadLeadAsync(RoundId, Lead);
        Assert.Equal("sam.oneil@council.example", stored!.Value.Return.Delegate);
    }

    /// <summary>Every input of a page, by name, as a browser would send them.</summary>
    private static Dictionary<string, string> Inputs(string html) =>
        Input().Matches(html).ToDictionary(
            m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));

    [GeneratedRegex("<input [^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex Input();
}
