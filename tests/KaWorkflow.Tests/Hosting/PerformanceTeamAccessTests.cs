using System.Net;
using System.Text;
using KaWorkflow.Hosting;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Hosting;

public sealed class PerformanceTeamAccessTests
{
    [Fact]
    public async Task Admin_routes_refuse_the_anonymous_with_401_and_the_roleless_with_403()
    {
        await using var app = await TestApp.StartAsync(environment: "Production", settings: "--Access:TrustPlatformPrincipal=true");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.GetAsync("/api/admin/rounds")).StatusCode);
        var roleless = app.AsPerformanceTeam(HttpMethod.Get, "/api/admin/rounds", role: "SomethingElse");
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Http.SendAsync(roleless)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/admin/rounds"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.GetAsync("/api/reports/2020-21-Q1/v1/report.html")).StatusCode);
    }

    [Fact]
    public async Task Outside_Azure_a_forged_principal_header_is_ignored()
    {
        await using var app = await TestApp.StartAsync(environment: "Production");
        var forged = app.AsPerformanceTeam(HttpMethod.Get, "/api/admin/rounds");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.SendAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync("/dev/signin")).StatusCode);
    }

    [Fact]
    public async Task A_register_with_errors_is_refused_whole_with_line_numbers()
    {
        await using var app = await TestApp.StartAsync();
        var csv = "Theme,Code,Activity,Lead,Lead email\nT,KA.01.01,A,Ann,ann@council.example\nT,KA.01.01,B,Ann,ann@council.example\n";
        var response = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post, "/api/admin/register", new StringContent(csv, Encoding.UTF8, "text/csv")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"line\":3", await response.Content.ReadAsStringAsync());
        var current = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/admin/register"));
        Assert.DoesNotContain("KA.01.01", await current.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_performance_team_imports_a_register_and_opens_a_round_through_the_admin_api()
    {
        await using var app = await TestApp.StartAsync();
        var csv = await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "sample", "register.csv"));
        var import = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post, "/api/admin/register", new StringContent(csv, Encoding.UTF8, "text/csv")));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Contains("\"activities\":37", await import.Content.ReadAsStringAsync());
        var open = () => app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post, "/api/admin/rounds", JsonContent("{\"roundId\":\"2020-21-Q1\"}")));
        Assert.Equal(HttpStatusCode.Created, (await open()).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await open()).StatusCode);
        var round = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/admin/rounds/2020-21-Q1"));
        Assert.Contains("\"leads\":5", await round.Content.ReadAsStringAsync());
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public void The_principal_header_round_trips_with_both_role_claim_types()
    {
        var header = PerformanceTeamAccess.Encode("a@b.example", "R1");
        Assert.Contains("roles", Encoding.UTF8.GetString(Convert.FromBase64String(header)));
    }

    [Fact]
    public async Task The_api_refuses_a_form_or_plain_text_post_so_another_site_cannot_make_a_signed_in_browser_change_anything()
    {
        await using var app = await TestApp.StartAsync();
        var form = app.AsPerformanceTeam(HttpMethod.Post, "/api/admin/register", new StringContent("Theme,Code,Activity,Lead,Lead email\nT,KA.1,A,Ann,ann@council.example\n", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await app.Http.SendAsync(form)).StatusCode);
        var urlencoded = app.AsPerformanceTeam(HttpMethod.Post, "/api/admin/rounds/2020-21-Q1/draft-report", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await app.Http.SendAsync(urlencoded)).StatusCode);
        Assert.Empty(await app.Services.GetRequiredService<KaWorkflow.Register.RegisterStore>().LoadAsync());
    }
}
