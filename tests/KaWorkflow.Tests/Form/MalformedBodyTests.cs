using System.Net;
using System.Text;
using KaWorkflow.Demo;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Form;

/// <summary>Bodies no page of the app sends: each is refused with 400 and a page, never a 500, and saves nothing.</summary>
public sealed class MalformedBodyTests
{
    private const string RoundId = "2020-21-Q1", Lead = SampleLeads.Finance;

    private static async Task<LeadView> StoredAsync(TestApp app) =>
        (await app.Services.GetRequiredService<RoundStore>().LoadLeadWithHistoryAsync(RoundId, Lead))!;

    private static async Task<(TestApp App, string Link, ShownForm Token, LeadView Lead)> OpenAsync()
    {
        var app = await TestApp.WithOpenRoundAsync();
        var link = await app.LinkForAsync(Lead);
        return (app, link, await FormClient.OpenAsync(app.Http, link), await StoredAsync(app));
    }

    [Fact]
    public async Task A_save_without_its_version_is_refused_with_the_text_shown_again_not_saved_over_newer_text()
    {
        var (app, link, token, lead) = await OpenAsync();
        await using var _ = app;
        var response = await FormClient.PostAsync(app.Http, link, token, [
            new("action", "save"), new("progress|" + lead.Items[0].Code, "Typed without a version")]);
        var page = await response.Content.ReadAsStringAsync();
        FaultLedger.Record("save without a version", FaultLedger.Missing(page, "Typed without a version"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Typed without a version", page);
        Assert.Empty((await StoredAsync(app)).Versions);
    }

    [Fact]
    public async Task A_version_that_is_not_a_number_is_refused_the_same_way()
    {
        var (app, link, token, lead) = await OpenAsync();
        await using var _ = app;
        var response = await FormClient.PostAsync(app.Http, link, token, [
            new("action", "save"), new("version", "latest"), new("progress|" + lead.Items[0].Code, "Typed with a bad version")]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Typed with a bad version", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_null_character_is_taken_out_and_the_rest_of_the_text_shown_again()
    {
        var (app, link, token, lead) = await OpenAsync();
        await using var _ = app;
        var response = await FormClient.PostAsync(app.Http, link, token, [
            new("action", "save"), new("version", lead.Return.Version.ToString()),
            new("progress|" + lead.Items[0].Code, "Pasted\0 from somewhere")]);
        var page = await response.Content.ReadAsStringAsync();
        FaultLedger.Record("null byte in a field", FaultLedger.Missing(page, "Pasted from somewhere"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Pasted from somewhere", page);
        Assert.Empty((await StoredAsync(app)).Versions);
    }

    public static TheoryData<string> Unreadable() => ["json", "text", "fields", "huge"];

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task A_body_that_is_not_a_readable_form_gets_a_400_page(string kind)
    {
        var (app, link, token, lead) = await OpenAsync();
        await using var _ = app;
        HttpContent content = kind switch
        {
            "json" => new StringContent("{\"action\":\"save\"}", Encoding.UTF8, "application/json"),
            "text" => new StringContent("action=save", Encoding.UTF8, "text/plain"),
            "fields" => new FormUrlEncodedContent(Enumerable.Range(0, 1_100).Select(i => KeyValuePair.Create($"f{i}", "x"))
                .Append(new("__RequestVerificationToken", token.AntiforgeryToken))),
            _ => new FormUrlEncodedContent([new("__RequestVerificationToken", token.AntiforgeryToken), new("action", "save"),
                new("version", lead.Return.Version.ToString()), new("progress|" + lead.Items[0].Code, new string('a', 10_000_000))]),
        };
        var response = await app.Http.PostAsync(link, content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("This page could not be read", await response.Content.ReadAsStringAsync());
        Assert.Empty((await StoredAsync(app)).Versions);
    }
}
