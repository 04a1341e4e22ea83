using System.Net;
using KaWorkflow.Register;
using KaWorkflow.Reports;
using KaWorkflow.Rounds;
using KaWorkflow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KaWorkflow.Tests.Rounds;

/// <summary>A quarter completes and the next opens: last quarter's answers carry over.</summary>
public sealed class NextQuarterTests
{
    [Fact]
    public async Task The_next_quarter_is_prefilled_with_this_quarters_answers_and_its_direction_of_travel_is_computed()
    {
        await using var app = await TestApp.WithOpenRoundAsync();
        foreach (var lead in SampleLeads.All) await app.SubmitAllAsync(lead, progress: $"Q1 answer from {lead}");
        await app.RunUntilAsync(app.Clock.GetUtcNow().AddHours(2));
        var store = app.Services.GetRequiredService<RoundStore>();
        Assert.Equal(RoundStatus.Complete, (await store.GetHeaderAsync("2020-21-Q1"))!.Status);

        Assert.True(await app.Services.GetRequiredService<RoundEngine>().OpenAsync(new Quarter(2020, 2), "test"));
        var q2 = await store.LoadItemsAsync("2020-21-Q2");
        Assert.All(q2, i => Assert.Equal((RagStatus.Green, $"Q1 answer from {i.LeadKey}"), (i.PreviousStatus!.Value, i.PreviousProgress)));

        // The form shows them as last quarter's, and the report compares with them.
        await app.RunUntilAsync(app.Clock.GetUtcNow().AddMinutes(10));
        var form = await app.Http.GetAsync(await app.LinkForAsync(SampleLeads.Finance));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains($"Q1 answer from {SampleLeads.Finance}", await form.Content.ReadAsStringAsync());
        var model = ReportBuilder.Build(new ReportOptions { CouncilName = "Council" },
            (await store.GetHeaderAsync("2020-21-Q2"))!, 1, true, app.Clock.GetUtcNow(),
            (await store.LoadSnapshotAsync("2020-21-Q2"))!.Returns, q2.Select(i => i with { Status = RagStatus.Amber }).ToList());
        Assert.All(model.Groups.SelectMany(g => g.Rows), r => Assert.Equal(Direction.Worse, r.Direction));

        // The register page shows them too.
        var register = await (await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Get, "/api/dashboard/register")))
            .Content.ReadAsStringAsync();
        Assert.Contains("<td class=\"govuk-table__cell\">Green</td>", register);
        Assert.DoesNotContain("<td class=\"govuk-table__cell\">–</td>", register);
        Assert.DoesNotContain("<td class=\"govuk-table__cell\">Red</td>", register);
    }
}
