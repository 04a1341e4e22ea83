using System.Net;
using System.Text.Json;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Dashboard;

/// <summary>The rounds overview while a round is open: counts, the next opening, and what to open by hand.</summary>
public sealed class RoundsOverviewTests
{
    [Fact]
    public async Task An_open_round_counts_its_leads_and_the_suggested_round_is_the_next_not_yet_opened()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        await app.SubmitAllAsync(SampleLeads.Finance);

        var json = JsonDocument.Parse(await (await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/admin/rounds")))
            .Content.ReadAsStringAsync()).RootElement;
        var round = json.GetProperty("rounds")[0];
        Assert.Equal(5, round.GetProperty("leads").GetInt32());
        Assert.Equal(1, round.GetProperty("submitted").GetInt32());
        Assert.Equal(20, round.GetProperty("percent").GetInt32());

        var page = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/dashboard"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("1 of 5", html);
        Assert.Contains("for example 2020-21-Q2", html); // Q1 is open already
        Assert.Contains("value=\"2020-21-Q2\"", html);
    }
}
