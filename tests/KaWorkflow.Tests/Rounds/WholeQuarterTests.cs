using System.Net;
using KaWorkflow.Reminders;
using KaWorkflow.Rounds;
using KaWorkflow.Storage;
using KaWorkflow.Tests.Support;
using static KaWorkflow.Tests.Support.SampleLeads;
using Microsoft.Extensions.DependencyInjection;
using static KaWorkflow.Tests.Support.Times;

namespace KaWorkflow.Tests.Rounds;

/// <summary>
/// One whole quarter across Easter on a clock moved by hand, as the durable timers would: scheduled opening, working-day
/// reminders and escalations, a draft and a draft report, and every performance-team action along the way, ending in
/// two final report versions.
/// </summary>
public sealed class WholeQuarterTests
{
    private const string RoundId = "2024-25-Q4";

    private static async Task ActAsync(TestApp app, string action, object body)
    {
        var response = await app.ActAsync(RoundId, action, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, WorkingCalendar.London).ToString("yyyy-MM-dd HH:mm");

    [Theory]
    [InlineData(Engine.Local)]
    [InlineData(Engine.InProcess)]
    public async Task A_quarter_runs_itself_on_the_councils_calendar_and_bends_to_every_action(Engine engine)
    {
        await using var app = await TestApp.StartAsync(engine, London(4, 4, 8, year: 2025));
        await app.ImportSampleRegisterAsync();
        var store = app.Services.GetRequiredService<RoundStore>();
        var preview = await app.Services.GetRequiredService<RoundAdmin>().ChaseCalendarAsync(Quarter.Parse(RoundId), null);

        // Opens by itself on Monday 7 April, the 5th working day after quarter end; every lead is invited at once.
        await app.RunUntilAsync(London(4, 7, 10, year: 2025));
        Assert.Equal(London(4, 7, 9, year: 2025), (await store.GetHeaderAsync(RoundId))!.OpenedAt);
        Assert.Equal(5, (await app.MailAsync()).Count);

        // Week one: Finance submits; the team resends Governance's link, moves an activity, excuses one, gives Chief longer.
        await app.SubmitAllAsync(Finance, roundId: RoundId);
        var oldGovernanceLink = await app.LinkForAsync(Governance);
        await ActAsync(app, ActionNames.Resend, new { reason = "Lost the e-mail", lead = Governance });
        await ActAsync(app, ActionNames.Reassign, new { reason = "Restructure", code = "KA.01.01", toLead = Finance });
        await ActAsync(app, ActionNames.Excuse, new { reason = "Paused by Cabinet", code = "KA.01.02" });
        await ActAsync(app, ActionNames.Extend, new { reason = "Long leave", lead = Chief, deadline = "2025-05-09" });
        await app.RunUntilAsync(London(4, 7, 12, year: 2025));
        Assert.Equal(HttpStatusCode.Gone, (await app.Http.GetAsync(oldGovernanceLink)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(await app.LinkForAsync(Governance))).StatusCode);
        Assert.Equal(ReturnStatus.Draft, (await store.LoadLeadAsync(RoundId, Finance))!.Value.Return.Status); // KA.01.01 is new to them

        // Communities saves a draft; the team asks for a draft report of the round so far (its version 1).
        await app.SaveDraftAsync(Communities, roundId: RoundId);
        var draft = await app.Http.SendAsync(app.AsPerformanceTeam(HttpMethod.Post,
            $"/api/admin/rounds/{RoundId}/draft-report", System.Net.Http.Json.JsonContent.Create(new { })));
        Assert.Equal(HttpStatusCode.Accepted, draft.StatusCode);
        await app.RunUntilAsync(London(4, 7, 13, year: 2025));
        var blobs = app.Services.GetRequiredService<KaWorkflow.Reports.ReportStore>();
        Assert.Contains("DRAFT", (await blobs.DownloadAsync($"{RoundId}/v1/report.html"))!.Content.ToString());

        // Nobody else answers until 2 May: chasing follows the calendar, skipping Easter and the early May bank holiday.
        await app.RunUntilAsync(London(5, 2, 18, year: 2025));
        var mail = await app.MailAsync();
        var chased = (string lead) => mail.Where(m => m.To.Contains(lead) && (m.Subject.StartsWith("Reminder")
            || m.Subject.StartsWith("Overdue"))).ToList();
        var expected = preview.Where(p => p.To == Communities && p.Kind != "invite"
            && p.At <= app.Clock.GetUtcNow()).Select(p => Local(p.At)).ToList();
        Assert.Equal(expected, chased(Communities).Select(m => Local(m.ReceivedAt)).Order());
        Assert.All(chased(Communities), m => Assert.DoesNotContain(Local(m.ReceivedAt)[..10], new[] { "2025-04-18", "2025-04-21" }));
        var escalated = chased(Communities).Where(m => m.Cc.Count > 0).ToList();
        Assert.NotEmpty(escalated);
        Assert.All(escalated, m => Assert.Equal(["chief.executive@council.example", "performance@council.example"], m.Cc.Order()));
        Assert.Contains("has now been sent", escalated[0].Body);
        Assert.Contains("You have saved a draft: 1 of 7 activities still need a status", chased(Finance)[0].Body); // only the moved one
        Assert.DoesNotContain(chased(Chief), m => m.ReceivedAt < London(5, 6, 0,
            year: 2025)); // their own deadline: first reminder three working days before 9 May

        // The team closes the round; the report says who sent nothing. Then Finance's return is reopened and amended.
        await ActAsync(app, ActionNames.Close, new { reason = "Committee papers due" });
        await app.RunUntilAsync(London(5, 2, 20, year: 2025));
        var v2 = (await blobs.DownloadAsync($"{RoundId}/v2/report.csv"))!.Content.ToString();
        Assert.Contains("No update", v2);
        Assert.Contains("Excused: ", v2);
        await ActAsync(app, ActionNames.Reopen, new { reason = "Late figures", lead = Finance });
        await app.RunUntilAsync(London(5, 6, 10, year: 2025)); // the new link goes out in the next working-day window
        await app.SubmitAllAsync(Finance, progress: "Reopened and amended", roundId: RoundId);
        await app.RunUntilAsync(London(5, 6, 12, year: 2025));

        var round = (await store.LoadSnapshotAsync(RoundId))!;
        Assert.Equal((RoundStatus.Complete, 3), (round.Header.Status, round.Header.ReportVersion));
        async Task<string> Csv(int version) =>
            (await blobs.DownloadAsync($"{RoundId}/v{version}/report.csv"))!.Content.ToString();
        Assert.Contains("Reopened and amended", await Csv(3));
        Assert.DoesNotContain("Reopened and amended", await Csv(2));
        Assert.Equal(2, (await app.MailAsync()).Count(m => m.Subject.StartsWith("Key Activity report ready")));
        var events = await store.LoadEventsAsync(RoundId);
        string[] types = ["draft-saved", "draft-assembled", "invite-resent", "reassigned-away", "reassigned-to",
            "activity-excused", "deadline-extended", "escalated", "closed", "reopened", "completed"];
        foreach (var type in types)
            Assert.Contains(events, e => e.Type == type);
        // Every action that changes a return says why; asking for a draft report changes nothing.
        Assert.All(events.Where(e => e.Actor == "pat.jones@council.example" && e.Type != "draft-report"),
            e => Assert.Contains("reason: ", e.Detail));
    }
}
