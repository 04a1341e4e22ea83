using System.Net;
using KaWorkflow.Dashboard;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Dashboard;

/// <summary>The banner and error summary after an action show only the app's own words, never the address's.</summary>
public sealed class PageMessagesTests
{
    private const string Phishing = "Your session expired. Sign in again at https://evil.example/login";

    [Theory]
    [InlineData("/api/dashboard?error=")]
    [InlineData("/api/dashboard?done=")]
    [InlineData("/api/dashboard/register?done=")]
    [InlineData("/api/dashboard/rounds/2020-21-Q1?done=")]
    public async Task Text_typed_into_the_address_is_not_shown_as_a_message(string path)
    {
        await using var app = await TestApp.WithOpenRoundAsync();

        var page = await app.Http.SendAsync(
            app.AsPerformanceTeam(HttpMethod.Get, path + Uri.EscapeDataString(Phishing)));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("evil.example", html);
        Assert.DoesNotContain("govuk-error-summary", html);
        Assert.DoesNotContain("govuk-notification-banner--success", html);
    }

    [Fact]
    public async Task A_message_the_app_wrote_is_shown_and_the_same_value_altered_is_not()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var written = app.Services.GetRequiredService<PageMessages>().Protect("Register replaced: 17 activities.");

        var shown = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get,
            $"/api/dashboard/register?done={Uri.EscapeDataString(written)}"));
        var altered = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get,
            $"/api/dashboard/register?done={Uri.EscapeDataString(written[..^2] + "AA")}"));

        Assert.Contains("Register replaced: 17 activities.", await shown.Content.ReadAsStringAsync());
        Assert.DoesNotContain("Register replaced", await altered.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_error_the_app_wrote_comes_back_as_a_400_with_the_error_summary()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var written = app.Services.GetRequiredService<PageMessages>().Protect("2020-21-Q1 already exists.");

        var page = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get,
            $"/api/dashboard?error={Uri.EscapeDataString(written)}"));

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("govuk-error-summary", html);
        Assert.Contains("2020-21-Q1 already exists.", html);
    }
}
