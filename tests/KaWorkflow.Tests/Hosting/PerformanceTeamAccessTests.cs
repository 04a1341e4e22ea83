using System.Net;
using System.Text;
using KaWorkflow.Demo;
using KaWorkflow.Hosting;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Hosting;

public sealed class PerformanceTeamAccessTests
{
    [Fact]
    public async Task Admin_routes_refuse_the_anonymous_with_401_and_the_roleless_with_403()
    {
        await using var app = await TestApp.StartAsync(environment: "Production",
            settings: ["--Access:TrustPlatformPrincipal=true", "--WEBSITE_AUTH_ENABLED=True"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.GetAsync("/api/admin/rounds")).StatusCode);
        var roleless = app.AsPerformanceTeam(HttpMethod.Get, "/api/admin/rounds", role: "SomethingElse");
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Http.SendAsync(roleless)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/admin/rounds"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.GetAsync("/api/reports/2020-21-Q1/v1/report.html")).StatusCode);
    }

    [Fact]
    public async Task With_the_platforms_authentication_off_the_principal_header_is_not_trusted_whatever_the_settings_say()
    {
        // App Service strips forged principal headers only while its authentication is on (WEBSITE_AUTH_ENABLED).
        await using var app = await TestApp.StartAsync(environment: "Production", settings: "--Access:TrustPlatformPrincipal=true");
        var forged = app.AsPerformanceTeam(HttpMethod.Get, "/api/admin/rounds");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.SendAsync(forged)).StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("/api/dashboard\r\nSet-Cookie: a=b")]
    [InlineData("api/dashboard")]
    [InlineData("/api/dashboard/é")] // a header cannot carry it: refused, not a 500
    public async Task The_development_sign_in_refuses_to_send_the_browser_anywhere_but_a_path_here(string returnUrl)
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.Http.GetAsync("/dev/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task The_development_sign_in_sends_the_browser_back_to_the_page_it_came_from()
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.Http.GetAsync(
            "/dev/signin?returnUrl=" + Uri.EscapeDataString("/api/dashboard/rounds/2020-21-Q1?filter=overdue"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/api/dashboard/rounds/2020-21-Q1?filter=overdue", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_register_download_defuses_formulas_and_an_upload_of_it_changes_nothing()
    {
        await using var app = await TestApp.StartAsync();
        var csv = "Theme,Code,Activity,Lead,Lead email,Team\n" +
                  "T,KA.01.01,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",Ann,ann@council.example,@SUM(1)\n" +
                  "T,KA.01.02,+cmd|' /C calc'!A0,Ann,ann@council.example,-Finance\n";
        var upload = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post, "/api/admin/register",
            new StringContent(csv, Encoding.UTF8, "text/csv")));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var before = await app.Services.GetRequiredService<KaWorkflow.Register.RegisterStore>().LoadAsync();

        var download = await (await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/admin/register")))
            .Content.ReadAsStringAsync();
        Assert.Contains("\"'=HYPERLINK(", download);
        Assert.Contains(",'@SUM(1)", download);
        Assert.Contains(",'+cmd|", download);
        Assert.Contains(",'-Finance", download);
        Assert.DoesNotContain(",=", download);

        var again = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post, "/api/admin/register/preview",
            new StringContent(download, Encoding.UTF8, "text/csv")));
        var preview = await again.Content.ReadAsStringAsync();
        FaultLedger.Record("hostile CSV cells", FaultLedger.Missing(preview, "\"edited\":[]"));
        Assert.Contains("\"edited\":[]", preview);
        Assert.Equal("=HYPERLINK(\"http://evil.example\",\"x\")", before[0].Title);
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
        var response = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post, "/api/admin/register",
            new StringContent(csv, Encoding.UTF8, "text/csv")));
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
        var import = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post, "/api/admin/register",
            new StringContent(csv, Encoding.UTF8, "text/csv")));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Contains("\"activities\":37", await import.Content.ReadAsStringAsync());
        var open = () => app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post, "/api/admin/rounds",
            JsonContent("{\"roundId\":\"2020-21-Q1\"}")));
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
        var form = app.AsPerformanceTeam(HttpMethod.Post, "/api/admin/register", new StringContent(
            "Theme,Code,Activity,Lead,Lead email\nT,KA.1,A,Ann,ann@council.example\n", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await app.Http.SendAsync(form)).StatusCode);
        var urlencoded = app.AsPerformanceTeam(HttpMethod.Post, "/api/admin/rounds/2020-21-Q1/draft-report", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await app.Http.SendAsync(urlencoded)).StatusCode);
        Assert.Empty(await app.Services.GetRequiredService<KaWorkflow.Register.RegisterStore>().LoadAsync());
    }

    [Fact]
    public async Task A_leads_form_token_does_not_pass_for_the_performance_team_on_the_dashboard()
    {
        // One anti-forgery cookie serves both; tokens are bound to the user they were issued to, so a lead's
        // token (issued to nobody signed in) cannot carry a team member's dashboard action.
        await using var app = await TestApp.WithOpenRoundAsync();
        var leadToken = (await FormClient.OpenAsync(app.Http, await app.LinkForAsync("co.finance@council.example")))
            .AntiforgeryToken;
        Assert.DoesNotContain("2021-22-Q1", await OpenFromDashboardAsync(app, leadToken));

        var dashboard = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/dashboard"));
        var teamToken = FormClient.TokenIn(await dashboard.Content.ReadAsStringAsync())!;
        Assert.Contains("2021-22-Q1", await OpenFromDashboardAsync(app, teamToken));
    }

    private static async Task<string> OpenFromDashboardAsync(TestApp app, string token)
    {
        await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post, "/api/dashboard/rounds",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("roundId", "2021-22-Q1")])));
        var rounds = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/admin/rounds"));
        return await rounds.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Whoami_names_the_signed_in_person_where_the_sign_in_came_from_and_their_roles()
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/whoami"));
        using var who = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("pat.jones@council.example", who.RootElement.GetProperty("name").GetString());
        Assert.Equal("platform", who.RootElement.GetProperty("source").GetString());
        Assert.Equal(["KaWorkflow.PerformanceTeam"],
            who.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.GetAsync("/api/whoami")).StatusCode);
    }

    [Fact]
    public async Task A_browser_opening_the_dashboard_signed_out_is_sent_to_sign_in_and_back_while_the_api_gets_401()
    {
        await using var app = await TestApp.StartAsync(environment: "Production", settings:
            ["--Access:TrustPlatformPrincipal=true", "--WEBSITE_AUTH_ENABLED=True", "--Access:SignInPath=/.auth/login/aad"]);
        var page = new HttpRequestMessage(HttpMethod.Get, "/api/dashboard?filter=overdue");
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        var response = await app.Http.SendAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fdashboard%3Ffilter%3Doverdue",
            response.Headers.Location!.OriginalString);

        var api = new HttpRequestMessage(HttpMethod.Get, "/api/admin/rounds");
        api.Headers.Accept.ParseAdd("application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.SendAsync(api)).StatusCode);
    }
}
