using System.Net.Http.Json;
using System.Net;
using System.Text;
using Azure.Data.Tables;
using KaWorkflow.Demo;
using KaWorkflow.Hosting;
using KaWorkflow.Reports;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Functions;

/// <summary>
/// What ships is what is tested: a whole quarter through the Functions app's own composition, on an Azurite account
/// nothing has touched, with only the settings the deployment template gives it.
/// </summary>
[Collection(Heavy.Name)]
public sealed class FunctionsQuarterTests
{
    private const string RoundId = "2025-26-Q1";

    /// <summary>Monday 7 July 2025, 10:00 in London: an hour after 2025-26 Q1's scheduled opening.</summary>
    private static readonly DateTimeOffset OpeningDay = Times.London(7, 7, 10, year: 2025);

    private static Dictionary<string, string?> AzureSettings(Azurite azurite, LoopbackGraph graph) => new()
    {
        ["Storage:ConnectionString"] = azurite.ConnectionString, // in Azure: Storage:AccountName and the identity
        ["Mail:Sender"] = "performance@council.example",
        ["Mail:PerformanceTeam"] = "performance@council.example",
        ["Mail:GraphBaseUrl"] = graph.BaseUrl,
        ["Report:CouncilName"] = "Harborough District Council",
        ["Access:TrustPlatformPrincipal"] = "true",
        ["Access:SignInPath"] = "/.auth/login/aad",
        ["WEBSITE_AUTH_ENABLED"] = "true", // App Service Authentication on: the principal header is the platform's
    };

    private static HttpRequestMessage AsPerformanceTeam(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add(PerformanceTeamAccess.PrincipalHeader,
            PerformanceTeamAccess.Encode("pat.jones@council.example", "KaWorkflow.PerformanceTeam"));
        return request;
    }

    private static async Task<string> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    [Fact]
    public async Task A_quarter_runs_through_the_functions_apps_composition_on_an_empty_storage_account()
    {
        using var azurite = Azurite.StartFresh();
        await using var graph = await LoopbackGraph.StartAsync();
        await using var host = await FunctionsHost.StartAsync(AzureSettings(azurite, graph));
        host.Services.GetRequiredService<AdjustableClock>().Set(OpeningDay); // the clock is all the test moves
        using var browser = new HttpClient(new FrontEndBrowser()) { BaseAddress = new Uri(host.BaseUrl) };

        // The tables and containers were made at start; the performance team's door is the dashboard.
        var tables = new HashSet<string>();
        await foreach (var table in new TableServiceClient(azurite.ConnectionString).QueryAsync())
            tables.Add(table.Name);
        Assert.Superset(new HashSet<string> { "karounds", "karoundindex", "katokens", "karegister" }, tables);
        var root = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/api/dashboard", root.Headers.Location!.OriginalString);

        // The register goes in through the admin API; the hourly timer opens the quarter's round.
        var csv = await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "sample", "register.csv"));
        await OkAsync(await browser.SendAsync(AsPerformanceTeam(HttpMethod.Post, "/api/admin/register",
            new StringContent(csv, Encoding.UTF8, "text/csv"))));
        await host.RunScheduleAsync();
        await Eventually.TrueAsync(() => Task.FromResult(graph.Messages().Count == SampleLeads.All.Count),
            "an invitation to every lead through Graph");
        var invites = graph.Messages();
        Assert.Equal(SampleLeads.All.Order(), invites.SelectMany(m => m.To).Order());

        // Each lead opens the link in their e-mail, saves a draft and submits, with the page's anti-forgery token.
        var store = host.Services.GetRequiredService<RoundStore>();
        foreach (var (to, _, body) in invites)
        {
            var link = System.Text.RegularExpressions.Regex.Match(body, @"http://127\.0\.0\.1:\d+/api/forms/\S+").Value;
            foreach (var action in new[] { "save", "submit" })
            {
                var (_, ret, items) = (await store.LoadLeadAsync(RoundId, to.Single()))!.Value;
                var fields = items.Where(i => !i.Excused).SelectMany(i => new KeyValuePair<string, string>[]
                {
                    new("status|" + i.Code, "Green"), new("progress|" + i.Code, $"On track ({action})"),
                    new("next|" + i.Code, "Carry on"),
                }).Append(new("action", action)).Append(new("version", ret.Version.ToString()));
                Assert.Equal(HttpStatusCode.SeeOther, (await FormClient.SendAsync(browser, link, fields)).StatusCode);
            }
        }

        // The round completes by itself: the report is in Blob Storage and the performance team is told.
        await Eventually.TrueAsync(async () => (await store.GetHeaderAsync(RoundId))?.Status == RoundStatus.Complete
            && graph.Messages().Any(m => m.Subject.StartsWith("Key Activity report ready")), "the round's report");
        var report = await host.Services.GetRequiredService<ReportStore>().DownloadAsync($"{RoundId}/v1/report.html");
        Assert.Contains("Harborough District Council", report!.Content.ToString());
        Assert.Contains("On track (submit)", report.Content.ToString());

        // The dashboard and the admin API answer the performance team, and only them.
        var dashboard = AsPerformanceTeam(HttpMethod.Get, $"/api/dashboard/rounds/{RoundId}");
        dashboard.Headers.Accept.ParseAdd("text/html");
        Assert.Contains("Complete", await OkAsync(await browser.SendAsync(dashboard)));
        Assert.Contains(RoundId, await OkAsync(await browser.SendAsync(AsPerformanceTeam(HttpMethod.Get,
            "/api/admin/rounds"))));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/admin/rounds")).StatusCode);
    }

    [Fact]
    public async Task A_page_reached_over_plain_http_says_so_instead_of_failing()
    {
        using var azurite = Azurite.StartFresh();
        await using var graph = await LoopbackGraph.StartAsync();
        await using var host = await FunctionsHost.StartAsync(AzureSettings(azurite, graph));
        using var plain = new HttpClient { BaseAddress = new Uri(host.BaseUrl) }; // no X-Forwarded-Proto: https

        var page = await plain.GetAsync("/api/forms/" + new string('A', 43));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("must be opened over HTTPS", await page.Content.ReadAsStringAsync());
        var health = await plain.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/health");
        Assert.Equal("http", health.GetProperty("scheme").GetString()); // what the post-deployment check reads
    }

    [Fact]
    public async Task A_table_deleted_under_the_app_is_named_once_in_the_log()
    {
        using var azurite = Azurite.StartFresh();
        await using var graph = await LoopbackGraph.StartAsync();
        var log = new ListLog();
        await using var host = await FunctionsHost.StartAsync(AzureSettings(azurite, graph), log);
        using var browser = new HttpClient(new FrontEndBrowser()) { BaseAddress = new Uri(host.BaseUrl) };
        await new TableServiceClient(azurite.ConnectionString).DeleteTableAsync("karoundindex");

        for (var i = 0; i < 3; i++)
        {
            var rounds = await browser.SendAsync(AsPerformanceTeam(HttpMethod.Get, "/api/admin/rounds"));
            Assert.False(rounds.IsSuccessStatusCode);
        }
        var said = log.Lines.Where(l => l.Contains("no table named 'karoundindex'")).ToList();
        Assert.Single(said);
        Assert.Contains("deleted", said[0]);
    }
}
