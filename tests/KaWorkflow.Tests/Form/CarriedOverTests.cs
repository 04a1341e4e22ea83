using System.Net;
using System.Text.RegularExpressions;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Form;

/// <summary>Answers filled in from last quarter are marked until the lead changes them, and counted before
/// submitting, so last quarter's text is never sent again without the lead seeing it.</summary>
public sealed class CarriedOverTests
{
    private const string Lead = "co.finance@council.example";

    private static async Task<string> PageAsync(TestApp app)
    {
        var page = await app.Http.GetAsync(await app.LinkForAsync(Lead));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return Regex.Replace(WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()), @"\s+", " ");
    }

    [Fact]
    public async Task A_fresh_form_marks_every_answer_from_last_quarter_and_a_changed_one_is_no_longer_counted()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        var (_, _, items) = (await app.Services.GetRequiredService<RoundStore>().LoadLeadAsync("2020-21-Q1", Lead))!.Value;
        var carried = items.Count(i => !i.Excused && i.PreviousStatus is not null);
        Assert.True(carried > 1, "the sample lead has last quarter's answers");

        var fresh = await PageAsync(app);
        Assert.Contains($"{carried} of {items.Count} answers are unchanged from last quarter.", fresh);
        Assert.Equal(carried, Regex.Matches(fresh, "Same as last quarter").Count);

        await app.SaveDraftAsync(Lead, "Moved on this quarter");
        var after = await PageAsync(app);
        Assert.Contains($"{carried - 1} of {items.Count} answers are unchanged from last quarter.", after);
        Assert.Equal(carried - 1, Regex.Matches(after, "Same as last quarter").Count);
    }
}
