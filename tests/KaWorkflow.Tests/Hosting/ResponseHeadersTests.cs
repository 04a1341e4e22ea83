using System.Net;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Hosting;

/// <summary>What every response says about itself, in Production behind the front end and in Development.</summary>
public sealed class ResponseHeadersTests
{
    private static HttpRequestMessage ViaFrontEnd(string path) =>
        new(HttpMethod.Get, path) { Headers = { { "X-Forwarded-Proto", "https" } } };

    [Fact]
    public async Task In_production_responses_carry_hsts_name_no_server_and_keep_storage_timings_from_the_public()
    {
        await using var app = await TestApp.StartAsync(environment: "Production");
        var response = await app.Http.SendAsync(ViaFrontEnd("/api/health"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("Server-Timing")); // a lead or a stranger: no storage request counts
    }

    [Fact]
    public async Task In_production_the_performance_team_sees_server_timings()
    {
        await using var app = await TestApp.StartAsync(environment: "Production",
            settings: ["--Access:TrustPlatformPrincipal=true", "--WEBSITE_AUTH_ENABLED=true"]);
        var request = app.AsPerformanceTeam(HttpMethod.Get, "/api/admin/rounds");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await app.Http.SendAsync(request);
        Assert.Contains("storage;dur=", response.Headers.GetValues("Server-Timing").Single());
    }

    [Fact]
    public async Task Plain_http_in_development_gets_no_hsts_but_shows_server_timings()
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.Http.GetAsync("/api/health");
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.False(response.Headers.Contains("Server"));
        Assert.Contains("app;dur=", response.Headers.GetValues("Server-Timing").Single());
    }
}
