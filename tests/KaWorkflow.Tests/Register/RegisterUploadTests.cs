using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using KaWorkflow.Demo;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Register;

/// <summary>Uploading a register through the dashboard and the API, after a round has been answered.</summary>
public sealed class RegisterUploadTests
{
    private static async Task<string> SampleAsync() =>
        await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "sample", "register.csv"));

    private static async Task<string> DashboardPreviewAsync(TestApp app, byte[] file)
    {
        var page = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/dashboard/register"));
        var form = new MultipartFormDataContent
        {
            { new StringContent(FormClient.TokenIn(await page.Content.ReadAsStringAsync())!), "__RequestVerificationToken" },
            { new ByteArrayContent(file), "file", "register.csv" },
        };
        var preview = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post, "/api/dashboard/register/preview", form));
        // As a reader sees it: entities decoded, the markup's line breaks and indents as single spaces.
        return Regex.Replace(WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync()), @"\s+", " ");
    }

    private static async Task<string> ApiPreviewAsync(TestApp app, byte[] file) =>
        await (await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post, "/api/admin/register/preview",
            new ByteArrayContent(file) { Headers = { ContentType = new("text/csv") } }))).Content.ReadAsStringAsync();

    [Fact]
    public async Task After_a_round_the_same_register_changes_nothing_on_the_dashboard_and_in_the_api()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        await app.SubmitAllAsync("co.finance@council.example", "Answered this quarter");
        var same = Encoding.UTF8.GetBytes(await SampleAsync());

        var page = await DashboardPreviewAsync(app, same);
        Assert.Contains("Nothing changes: it is the register already in use.", page);
        Assert.Contains("Otherwise changed (0)", page);
        var api = await ApiPreviewAsync(app, same);
        Assert.Contains("\"moved\":[],\"edited\":[]", api);
    }

    [Fact]
    public async Task An_edited_address_and_a_mistyped_domain_are_said_in_words_on_both()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var csv = await SampleAsync();
        var edited = Encoding.UTF8.GetBytes(csv.Replace("co.finance@council.example", "finance.lead@council.exmaple"));

        var page = await DashboardPreviewAsync(app, edited);
        Assert.Contains("Moved between leads (0)", page);
        Assert.Contains("Lead email: co.finance@council.example → finance.lead@council.exmaple", page);
        Assert.Contains("no other lead's is at the same domain. finance.lead@council.exmaple", page);
        var api = await ApiPreviewAsync(app, edited);
        Assert.Contains("\"moved\":[]", api);
        Assert.Contains("Lead email: co.finance@council.example → finance.lead@council.exmaple", api);
        Assert.Contains("\"loneDomains\":[\"finance.lead@council.exmaple\"]", api);
    }

    [Fact]
    public async Task A_file_in_excels_windows_encoding_is_refused_on_the_page_with_how_to_save_it()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var bytes = Encoding.UTF8.GetBytes(await SampleAsync());
        var at = Array.IndexOf(bytes, (byte)'\n') + 3; // a letter on line 2 becomes an en dash in Windows-1252
        var cp1252 = bytes[..at].Append((byte)0x96).Concat(bytes[(at + 1)..]).ToArray();
        var page = await DashboardPreviewAsync(app, cp1252);
        Assert.Contains("The file is not saved as UTF-8", page);
        Assert.Contains("CSV UTF-8 (Comma delimited)", page);
    }

    [Fact]
    public async Task The_register_downloads_as_a_file_named_for_the_day()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var download = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/admin/register"));
        var day = KaWorkflow.Reminders.WorkingCalendar.LocalDate(app.Clock.GetUtcNow());
        Assert.Equal($"register-{day:yyyy-MM-dd}.csv", download.Content.Headers.ContentDisposition!.FileName);
        Assert.StartsWith("Theme,Objective,Code", await download.Content.ReadAsStringAsync());
    }
}
